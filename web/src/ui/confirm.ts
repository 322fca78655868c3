/** One modal "are you sure?" on a native <dialog> (focus trapped, Escape cancels): the host's tools, the contacts', the console's. */
import { byTestId } from '../app/dom';

export interface ConfirmOptions {
  title: string;
  text: string;
  /** The label of the button that goes ahead. */
  confirm: string;
}

export type Confirm = (options: ConfirmOptions) => Promise<boolean>;

/** `testId` names the <dialog>; its go-ahead button is `<testId>-ok`. */
export function mountConfirm(testId = 'room-confirm'): Confirm {
  const dialog = byTestId<HTMLDialogElement>(testId);
  const title = dialog.querySelector<HTMLElement>('.dialog-title')!;
  const text = dialog.querySelector<HTMLElement>('.dialog-text')!;
  const ok = byTestId<HTMLButtonElement>(`${testId}-ok`, dialog);
  let settle: ((yes: boolean) => void) | null = null;

  dialog.addEventListener('close', () => {
    // The close event comes a task after the dialog closed: if it was asked again meanwhile (Escape, then
    // Enter at once), this close belongs to the earlier question, already answered no.
    if (dialog.open) return;
    const done = settle;
    settle = null;
    done?.(dialog.returnValue === 'ok');
  });

  return (options) => {
    settle?.(false);
    title.textContent = options.title;
    text.textContent = options.text;
    ok.textContent = options.confirm;
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => {
      settle = resolve;
    });
  };
}
