/**
 * The one-to-one chat's messages as this page shows them: an own message sent
 * (and marked sent or failed by its acknowledgement), and each message of the
 * chat's stream matched with what the page already shows.
 */
import type { Requests } from '../app/connection';
import type { Problem } from '../app/errors';
import type { ErrorScope, Store } from '../app/state';
import type { MessageLog } from './message-log';

export function chatMessages(api: Requests, store: Store, log: MessageLog, fail: (scope: ErrorScope, problem: Problem) => void) {
  const deliver = async (key: string, text: string) => {
    log.update(key, { delivery: 'sending' });
    const outcome = await api.sendMessage({ text });
    if (outcome.ok) {
      const { id, sentAt } = outcome.message;
      // Unless the client's own `message` for it confirmed it already.
      if (log.find(key)?.id !== id) log.update(key, { id, at: sentAt, text: outcome.message.text ?? text, delivery: 'sent' });
      return;
    }
    log.update(key, { delivery: 'failed' });
    if (outcome.problem === 'NOT_IN_CHAT' && store.get().phase !== 'chatting') return; // the notice says it
    fail('chat', outcome.problem);
  };

  /** A message of the chat's stream: the partner's, or an own one once acknowledged (confirming what this page shows as sending). */
  const received = (m: { id: string; text: string; sentAt: number; mine: boolean }) => {
    if (log.hasId(m.id)) return;
    const add = () => log.add({ id: m.id, from: m.mine ? 'me' : 'partner', text: m.text, at: m.sentAt, delivery: 'sent' });
    if (!m.mine) return void add();
    const pending = log.findUnconfirmed(m.text);
    if (pending) return void log.update(pending.key, { id: m.id, at: m.sentAt, delivery: 'sent' });
    // A text the server masked: the send's own acknowledgement, just behind, confirms it.
    if (log.findUnconfirmed()) return void setTimeout(() => !log.hasId(m.id) && add());
    add();
  };

  return { deliver, received };
}
