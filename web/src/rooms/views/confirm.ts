/** One modal "are you sure?" for the host's tools, on a native <dialog> (focus trapped, Escape cancels). */
import { byTestId } from '../../dom';

export interface ConfirmOptions {
  title: string;
  text: string;
  /** The label of the button that goes ahead. */
  confirm: string;
}

export type Confirm = (options: ConfirmOptions) => Promise<boolean>;

export function mountConfirm(): Confirm {
  const dialog = byTestId<HTMLDialogElement>('room-confirm');
  const title = dialog.querySelector<HTMLElement>('.dialog-title')!;
  const text = dialog.querySelector<HTMLElement>('.dialog-text')!;
  const ok = byTestId<HTMLButtonElement>('room-confirm-ok', dialog);
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
