/** Reporting, without the DOM: the reasons in plain words, the note's limit, the payload and the wording. */
import type { ReportPayload, ReportReason, ReportTarget } from '@parley/protocol';

/** The server's limit on a report's note. */
export const NOTE_MAX = 500;

/** The reasons in the order the picker lists them, each with its label and a hint. */
export const REASONS: ReadonlyArray<{ value: ReportReason; label: string; hint: string }> = [
  { value: 'harassment', label: 'Harassment or bullying', hint: 'Insults, threats, pressure to do something' },
  { value: 'sexual', label: 'Sexual content', hint: 'Unwanted sexual messages or requests' },
  { value: 'minor-safety', label: 'A child may be at risk', hint: 'Someone under 18, or someone targeting them' },
  { value: 'hate', label: 'Hate', hint: 'Attacks on who someone is: race, religion, gender, sexuality…' },
  { value: 'spam', label: 'Spam or a scam', hint: 'Ads, links, selling, asking for money' },
  { value: 'other', label: 'Something else', hint: 'Tell us in the note' },
];

/** What a report is about, with what the page needs to word it. */
export type ReportSubject =
  | { kind: 'chat' }
  | { kind: 'room'; code: string; seq: number; name: string; text: string }
  | { kind: 'room-itself'; code: string; title: string }
  | { kind: 'dm'; contactId: string; id: string; name: string; text: string };

export function targetOf(subject: ReportSubject): ReportTarget {
  switch (subject.kind) {
    case 'chat':
      return { kind: 'chat' };
    case 'room':
      return { kind: 'room', code: subject.code, seq: subject.seq };
    case 'room-itself':
      return { kind: 'room-itself', code: subject.code };
    case 'dm':
      return { kind: 'dm', contactId: subject.contactId, id: subject.id };
  }
}

/** The payload to send, or why not: no reason picked, or a note over the limit. */
export function buildReport(
  subject: ReportSubject,
  reason: string | null,
  note: string,
): { ok: true; payload: ReportPayload } | { ok: false; problem: string } {
  const picked = REASONS.find((r) => r.value === reason);
  if (!picked) return { ok: false, problem: 'Pick what happened.' };
  const trimmed = note.trim();
  if (trimmed.length > NOTE_MAX) return { ok: false, problem: `Keep the note under ${NOTE_MAX} characters.` };
  const payload: ReportPayload = { target: targetOf(subject), reason: picked.value };
  if (trimmed) payload.note = trimmed;
  return { ok: true, payload };
}

/** "12 / 500", or how far over. */
export function noteCounter(note: string): { text: string; over: boolean } {
  const length = note.trim().length;
  if (length > NOTE_MAX) return { text: `${length - NOTE_MAX} over the ${NOTE_MAX} limit`, over: true };
  return { text: `${note.length} / ${NOTE_MAX}`, over: false };
}

export function dialogTitle(subject: ReportSubject): string {
  switch (subject.kind) {
    case 'chat':
      return 'Report this stranger';
    case 'room':
      return `Report ${subject.name}’s message`;
    case 'room-itself':
      return `Report the room “${subject.title}”`;
    case 'dm':
      return `Report ${subject.name}’s message`;
  }
}

export function dialogIntro(subject: ReportSubject): string {
  switch (subject.kind) {
    case 'chat':
      return 'A moderator will read the last messages of this chat, as parley stored them. The stranger won’t know it was you. They will be blocked, and the chat ends.';
    case 'room':
      return 'A moderator will read this message and the ones around it, as parley stored them. No one in the room learns who reported it.';
    case 'room-itself':
      return 'For a room that is wrong as a whole: its title, its topic, what it is used for. A moderator will look at it and its latest messages, and may remove it. No one in the room learns who reported it.';
    case 'dm':
      return 'A moderator will read the recent messages of this conversation, as parley stored them. Your contact won’t know it was you.';
  }
}

/** What the dialog says once the server took the report. */
export function confirmationText(subject: ReportSubject): { title: string; text: string } {
  if (subject.kind === 'chat') {
    return {
      title: 'Reported and blocked',
      text: 'Thanks for telling us. A moderator will look at it. This stranger is now blocked: you won’t be matched with them again.',
    };
  }
  return {
    title: 'Report sent',
    text: 'Thanks for telling us. A moderator will look at it. You can also leave, or block, if you’d rather not see more.',
  };
}

/** True while the last chat's partner can still be reported: during the chat and for `windowMs` after it. */
export function canReportChat(chatting: boolean, endedAt: number | null, now: number, windowMs: number): boolean {
  if (chatting) return true;
  return endedAt !== null && now - endedAt < windowMs;
}
