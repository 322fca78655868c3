/** The Block confirmation: a native modal <dialog>, so focus is trapped and Escape cancels. */

export function mountBlockDialog(
  trigger: HTMLElement,
  dialog: HTMLDialogElement,
  onConfirm: () => void,
  /** Where focus goes back on cancel, when not to the trigger itself (e.g. the menu that held it). */
  returnFocus: () => HTMLElement = () => trigger,
): void {
  trigger.addEventListener('click', () => {
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'block') onConfirm();
    else returnFocus().focus();
  });
  // A click on the backdrop (outside the form) cancels, as Escape does.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close('cancel');
  });
}
