/** The console's "are you sure?" on a native modal <dialog> (focus trapped, Escape and Cancel say no). */
import { byTestId } from '../../dom';

export interface ConfirmText {
  title: string;
  text: string;
  /** The label of the button that goes ahead. */
  confirm: string;
}

export type Confirm = (text: ConfirmText) => Promise<boolean>;

export function mountConfirm(): Confirm {
  const dialog = byTestId<HTMLDialogElement>('admin-confirm');
  const title = byTestId('admin-confirm-title', dialog);
  const text = byTestId('admin-confirm-text', dialog);
  const ok = byTestId<HTMLButtonElement>('admin-confirm-ok', dialog);
  let settle: ((yes: boolean) => void) | null = null;
  dialog.addEventListener('close', () => {
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
