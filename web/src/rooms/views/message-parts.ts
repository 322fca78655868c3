/**
 * Small DOM builders of a room message's parts: its time, the quote of the
 * message it answers, the buttons under it and the panel one of them opens.
 */
import { el, userText } from '../../app/dom';
import { formatTime } from '../../app/format';
import { excerpt, findBySeq } from '../room-timeline';
import type { JoinedRoom } from '../rooms-state';
import { t } from '../../i18n/i18n';

/** A message's time, readable and machine-readable. */
export function timeNode(at: number): HTMLTimeElement {
  const time = el('time', 'msg-time', formatTime(at));
  time.dateTime = new Date(at).toISOString();
  return time;
}

/** The quote of the message `seq` answers (or a placeholder when it is not held). */
export function quoteNode(room: JoinedRoom, seq: number): HTMLElement {
  const quoted = findBySeq(room.timeline, seq);
  const quote = el('blockquote', 'quote');
  quote.dataset.testid = 'room-quote';
  quote.dataset.seq = String(seq);
  if (quoted) quote.append(userText('span', 'quote-name', quoted.name), userText('span', 'quote-text', excerpt(quoted.text)));
  else quote.append(el('span', 'quote-text', t('room.earlier_message')));
  return quote;
}

/** One of the small buttons under a message. */
export function actionButton(label: string, testId: string, name: string, onClick: () => void): HTMLButtonElement {
  const button = el('button', 'msg-action', label);
  button.type = 'button';
  button.dataset.testid = testId;
  button.setAttribute('aria-label', name);
  button.addEventListener('click', onClick);
  return button;
}

/** Opens `panel` under the message's actions, or closes the one of that kind already open there. */
export function togglePanel(item: HTMLElement, opener: HTMLButtonElement, panel: HTMLElement): void {
  const open = item.querySelector<HTMLElement>(`.${panel.className.split(' ')[0]}`);
  item.querySelectorAll('.msg-panel').forEach((node) => node.remove());
  item.querySelectorAll('[aria-expanded="true"]').forEach((node) => node.setAttribute('aria-expanded', 'false'));
  if (open) return;
  panel.classList.add('msg-panel');
  item.append(panel);
  opener.setAttribute('aria-expanded', 'true');
  panel.querySelector('button')?.focus();
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    panel.remove();
    opener.setAttribute('aria-expanded', 'false');
    opener.focus();
  });
}

/** A Report button once its report was sent. */
export function markReported(button: HTMLButtonElement): void {
  button.textContent = t('dm.reported');
  button.disabled = true;
  button.removeAttribute('aria-haspopup');
}
