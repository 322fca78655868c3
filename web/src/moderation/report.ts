/** Reporting, without the DOM: the reasons in plain words, the note's limit, the payload and the wording. */
import type { ReportPayload, ReportReason, ReportTarget } from '@parley/protocol';
import { t, type MessageKey } from '../i18n/i18n';

/** The server's limit on a report's note. */
export const NOTE_MAX = 500;

/** The reasons in the order the picker lists them, each with the keys of its label and hint. */
export const REASONS: ReadonlyArray<{ value: ReportReason; label: MessageKey; hint: MessageKey }> = [
  { value: 'harassment', label: 'report.harassment', hint: 'report.harassment_hint' },
  { value: 'sexual', label: 'report.sexual', hint: 'report.sexual_hint' },
  { value: 'minor-safety', label: 'report.minor_safety', hint: 'report.minor_safety_hint' },
  { value: 'hate', label: 'report.hate', hint: 'report.hate_hint' },
  { value: 'spam', label: 'report.spam', hint: 'report.spam_hint' },
  { value: 'other', label: 'report.other', hint: 'report.other_hint' },
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
  if (!picked) return { ok: false, problem: t('report.pick_reason') };
  const trimmed = note.trim();
  if (trimmed.length > NOTE_MAX) return { ok: false, problem: t('report.note_too_long', { max: NOTE_MAX }) };
  const payload: ReportPayload = { target: targetOf(subject), reason: picked.value };
  if (trimmed) payload.note = trimmed;
  return { ok: true, payload };
}

/** "12 / 500", or how far over. */
export function noteCounter(note: string): { text: string; over: boolean } {
  const length = note.trim().length;
  if (length > NOTE_MAX) return { text: t('counter.over', { over: length - NOTE_MAX, max: NOTE_MAX }), over: true };
  return { text: `${note.length} / ${NOTE_MAX}`, over: false };
}

export function dialogTitle(subject: ReportSubject): string {
  switch (subject.kind) {
    case 'chat':
      return t('report.title_chat');
    case 'room':
      return t('report.title_message', { name: subject.name });
    case 'room-itself':
      return t('report.title_room', { title: subject.title });
    case 'dm':
      return t('report.title_message', { name: subject.name });
  }
}

export function dialogIntro(subject: ReportSubject): string {
  switch (subject.kind) {
    case 'chat':
      return t('report.intro_chat');
    case 'room':
      return t('report.intro_message');
    case 'room-itself':
      return t('report.intro_room');
    case 'dm':
      return t('report.intro_dm');
  }
}

/** What the dialog says once the server took the report. */
export function confirmationText(subject: ReportSubject): { title: string; text: string } {
  if (subject.kind === 'chat') {
    return {
      title: t('report.done_chat_title'),
      text: t('report.done_chat'),
    };
  }
  return {
    title: t('report.done_title'),
    text: t('report.done'),
  };
}

/** True while the last chat's partner can still be reported: during the chat and for `windowMs` after it. */
export function canReportChat(chatting: boolean, endedAt: number | null, now: number, windowMs: number): boolean {
  if (chatting) return true;
  return endedAt !== null && now - endedAt < windowMs;
}
