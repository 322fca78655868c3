/**
 * The report dialog, one for the whole page: what happened (a reason in plain
 * words), an optional note with a counter, then a confirmation in the same
 * dialog. A native modal <dialog>: focus stays inside, Escape cancels, and
 * focus goes back to the button that opened it.
 */
import { byTestId, el, setMessage, show } from '../../app/dom';
import { describe } from '../../app/errors';
import {
  REASONS,
  buildReport,
  confirmationText,
  dialogIntro,
  dialogTitle,
  noteCounter,
  type ReportSubject,
} from '../report';
import type { SendReport } from '../requests';
import { t } from '../../i18n/i18n';

/** Opens the dialog about `subject`; resolves true once the server took the report. */
export type OpenReport = (subject: ReportSubject) => Promise<boolean>;

export function mountReportDialog(send: SendReport, onSent: (subject: ReportSubject) => void): OpenReport {
  const dialog = byTestId<HTMLDialogElement>('report-dialog');
  const form = byTestId<HTMLFormElement>('report-form');
  const step = byTestId('report-step-form');
  const done = byTestId('report-done');
  const title = byTestId('report-title');
  const intro = byTestId('report-intro');
  const reasons = byTestId('report-reasons');
  const note = byTestId<HTMLTextAreaElement>('report-note');
  const counter = byTestId('report-note-counter');
  const error = byTestId('report-error');
  const submit = byTestId<HTMLButtonElement>('report-submit');
  const doneTitle = byTestId('report-done-title');
  const doneText = byTestId('report-done-text');
  const doneClose = byTestId<HTMLButtonElement>('report-done-close');

  for (const reason of REASONS) {
    const label = el('label', 'reason');
    const input = el('input');
    input.type = 'radio';
    input.name = 'report-reason';
    input.value = reason.value;
    input.dataset.testid = `report-reason-${reason.value}`;
    const words = el('span', 'reason-words');
    words.append(el('span', 'reason-label', t(reason.label)), el('span', 'reason-hint', t(reason.hint)));
    label.append(input, words);
    reasons.append(label);
  }

  let subject: ReportSubject | null = null;
  let sent = false;
  let busy = false;
  let opener: HTMLElement | null = null;
  let settle: ((sent: boolean) => void) | null = null;

  const refreshCounter = () => {
    const { text, over } = noteCounter(note.value);
    counter.textContent = text;
    counter.dataset.level = over ? 'over' : 'ok';
    note.setAttribute('aria-invalid', String(over));
  };
  const picked = () => reasons.querySelector<HTMLInputElement>('input:checked')?.value ?? null;

  note.addEventListener('input', refreshCounter);
  reasons.addEventListener('change', () => setMessage(error, null));
  byTestId('report-cancel').addEventListener('click', () => dialog.close('cancel'));
  doneClose.addEventListener('click', () => dialog.close('done'));
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog && !busy) dialog.close('cancel');
  });
  dialog.addEventListener('cancel', (event) => {
    if (busy) event.preventDefault(); // the answer is on its way
  });
  dialog.addEventListener('close', () => {
    const finish = settle;
    settle = null;
    finish?.(sent);
    // Back to the opener, or (when the report ended the chat and hid it) to the page's main area.
    if (opener?.isConnected && !opener.closest('[hidden]')) opener.focus();
    else document.getElementById('main')?.focus({ preventScroll: true });
    opener = null;
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!subject || busy || sent) return;
    const built = buildReport(subject, picked(), note.value);
    if (!built.ok) {
      setMessage(error, built.problem);
      (picked() ? note : reasons.querySelector<HTMLInputElement>('input'))?.focus();
      return;
    }
    busy = true;
    submit.disabled = true;
    submit.textContent = t('chat.sending');
    setMessage(error, null);
    const outcome = await send(built.payload);
    busy = false;
    submit.disabled = false;
    submit.textContent = t('report.send');
    if (!outcome.ok) {
      setMessage(error, outcome.problem === 'NOT_ALLOWED'
        ? t('report.gone')
        : describe(outcome.problem));
      return;
    }
    sent = true;
    const words = confirmationText(subject);
    doneTitle.textContent = words.title;
    doneText.textContent = words.text;
    show(step, false);
    show(done, true);
    dialog.setAttribute('aria-labelledby', 'report-done-title');
    dialog.setAttribute('aria-describedby', 'report-done-text');
    doneClose.focus();
    onSent(subject);
  });

  return (about) => {
    settle?.(false);
    subject = about;
    sent = false;
    busy = false;
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    title.textContent = dialogTitle(about);
    intro.textContent = dialogIntro(about);
    reasons.querySelectorAll<HTMLInputElement>('input').forEach((input) => (input.checked = false));
    note.value = '';
    refreshCounter();
    setMessage(error, null);
    show(step, true);
    show(done, false);
    dialog.setAttribute('aria-labelledby', 'report-title');
    dialog.setAttribute('aria-describedby', 'report-intro');
    dialog.returnValue = '';
    dialog.showModal();
    dialog.scrollTop = 0;
    reasons.querySelector<HTMLInputElement>('input')?.focus();
    return new Promise((resolve) => {
      settle = resolve;
    });
  };
}
