/** "A room called X is active — join it instead?": Join it / Create anyway / Cancel, on a native modal <dialog>. */
import { byTestId } from '../../app/dom';
import { t } from '../../i18n/i18n';

export type DuplicateChoice = 'join' | 'create' | 'cancel';

export type AskDuplicate = (title: string, members: number) => Promise<DuplicateChoice>;

export function mountDuplicatePrompt(): AskDuplicate {
  const dialog = byTestId<HTMLDialogElement>('room-duplicate');
  const heading = byTestId('room-duplicate-title', dialog);
  let settle: ((choice: DuplicateChoice) => void) | null = null;
  dialog.addEventListener('close', () => {
    const done = settle;
    settle = null;
    const value = dialog.returnValue;
    done?.(value === 'join' || value === 'create' ? value : 'cancel');
  });
  return (title, members) => {
    settle?.('cancel');
    heading.textContent = t('rooms.duplicate', { title, count: members });
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => {
      settle = resolve;
    });
  };
}
