/** The messages of the current chat, in order, with the delivery state of the user's own. */

export type Sender = 'me' | 'partner';

/** `sending` until the server acks, then `sent`; `failed` on an error or a timeout. */
export type Delivery = 'sending' | 'sent' | 'failed';

export interface ChatMessage {
  /** Local key, stable from the optimistic insert on. */
  key: string;
  /** Server id, once known. */
  id: string | null;
  from: Sender;
  text: string;
  /** Epoch milliseconds: the server's sentAt when known, the local clock before. */
  at: number;
  delivery: Delivery;
}

export type LogChange =
  | { type: 'add'; message: ChatMessage }
  | { type: 'update'; message: ChatMessage }
  | { type: 'clear' };

export interface MessageLog {
  add(message: Omit<ChatMessage, 'key'>): ChatMessage;
  update(key: string, patch: Partial<Omit<ChatMessage, 'key'>>): ChatMessage | undefined;
  find(key: string): ChatMessage | undefined;
  /** True when a message with this server id is already in the log. */
  hasId(id: string): boolean;
  /** The oldest own message not yet confirmed (whose text is `text`, when given). */
  findUnconfirmed(text?: string): ChatMessage | undefined;
  clear(): void;
  subscribe(listener: (change: LogChange) => void): () => void;
}

export function createMessageLog(): MessageLog {
  const byKey = new Map<string, ChatMessage>();
  const listeners = new Set<(change: LogChange) => void>();
  let seq = 0;
  const notify = (change: LogChange) => listeners.forEach((l) => l(change));
  return {
    add(fields) {
      const message = { ...fields, key: `m${++seq}` };
      byKey.set(message.key, message);
      notify({ type: 'add', message });
      return message;
    },
    update(key, patch) {
      const current = byKey.get(key);
      if (!current) return undefined;
      const message = { ...current, ...patch };
      byKey.set(key, message);
      notify({ type: 'update', message });
      return message;
    },
    find: (key) => byKey.get(key),
    hasId: (id) => [...byKey.values()].some((m) => m.id === id),
    findUnconfirmed: (text) =>
      [...byKey.values()].find((m) => m.from === 'me' && m.id === null && (text === undefined || m.text === text)),
    clear() {
      byKey.clear();
      notify({ type: 'clear' });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
