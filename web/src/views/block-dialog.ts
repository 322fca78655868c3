/** The Block confirmation: a native modal <dialog>, so focus is trapped and Escape cancels. */

export function mountBlockDialog(trigger: HTMLElement, dialog: HTMLDialogElement, onConfirm: () => void): void {
  trigger.addEventListener('click', () => {
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'block') onConfirm();
    else trigger.focus();
  });
  // A click on the backdrop (outside the form) cancels, as Escape does.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close('cancel');
  });
}
