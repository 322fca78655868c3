/**
 * "Attach a still frame from the video" in the report dialog, while a video
 * chat shows the stranger: ticking it takes the frame on show at that moment
 * (see frame.ts) and previews it; the report then carries it as `frame`.
 * Closing the dialog forgets it.
 */
import { byTestId, el, show } from '../../app/dom';
import type { t as translate } from '../../i18n/i18n';
import { captureFrame } from '../frame';

export interface ReportFrame {
  /** The frame to send, if one was chosen. */
  chosen(): string | null;
}

export function mountReportFrame(t: typeof translate, remote: HTMLVideoElement, available: () => boolean): ReportFrame {
  const dialog = byTestId<HTMLDialogElement>('report-dialog');
  const box = el('div', 'report-frame');
  box.dataset.testid = 'report-frame-box';
  const label = el('label', 'report-frame-label');
  const input = el('input');
  input.type = 'checkbox';
  input.dataset.testid = 'report-frame';
  label.append(input, el('span', undefined, t('report.frame')));
  const hint = el('p', 'hint', t('report.frame_hint'));
  const preview = el('img', 'report-frame-preview');
  preview.dataset.testid = 'report-frame-preview';
  preview.alt = t('report.frame_preview');
  const problem = el('p', 'hint report-frame-problem', t('report.frame_none'));
  box.append(label, hint, preview, problem);
  byTestId('report-error').before(box);

  let frame: string | null = null;
  const reset = () => {
    frame = null;
    input.checked = false;
    preview.removeAttribute('src');
    show(preview, false);
    show(problem, false);
  };
  reset();
  show(box, false);

  input.addEventListener('change', () => {
    frame = input.checked ? captureFrame(remote) : null;
    if (frame) preview.src = frame;
    else preview.removeAttribute('src');
    show(preview, frame !== null);
    show(problem, input.checked && frame === null);
    if (input.checked && frame === null) input.checked = false;
  });
  // Offered when the dialog opens about the video chat on show (the chat's panel, the stranger's video live).
  new MutationObserver(() => {
    if (!dialog.open) return reset();
    show(box, available() && !document.querySelector<HTMLElement>('[data-panel="chat"]')?.hidden);
  }).observe(dialog, { attributes: true, attributeFilter: ['open'] });

  return { chosen: () => (input.checked ? frame : null) };
}
