/**
 * The host's room settings on a native <dialog>: slow mode, the description
 * and the rules every member sees at join. Saved through `room-settings`; a
 * refusal stays in the dialog.
 */
import type { RoomSettings } from '@parley/protocol';
import { byTestId, setMessage } from '../../app/dom';
import type { RoomActions } from '../rooms-controller';
import { t } from '../../i18n/i18n';

/** Returns the function that opens the dialog for a room with its current settings. */
export function bindSettingsDialog(actions: Pick<RoomActions, 'saveSettings'>): (code: string, settings: RoomSettings) => void {
  const dialog = byTestId<HTMLDialogElement>('room-settings-dialog');
  const form = byTestId<HTMLFormElement>('room-settings-form', dialog);
  const slowMode = byTestId<HTMLSelectElement>('room-slow-mode-input', dialog);
  const description = byTestId<HTMLTextAreaElement>('room-description-input', dialog);
  const rules = byTestId<HTMLTextAreaElement>('room-rules-input', dialog);
  const error = byTestId('room-settings-error', dialog);
  const save = byTestId<HTMLButtonElement>('room-settings-save', dialog);
  let code: string | null = null;

  byTestId('room-settings-cancel', dialog).addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!code || save.disabled) return;
    save.disabled = true;
    setMessage(error, null);
    void actions
      .saveSettings({ code, slowModeS: Number(slowMode.value), description: description.value.trim(), rules: rules.value.trim() })
      .then((saved) => {
        save.disabled = false;
        if (saved) dialog.close();
        else setMessage(error, t('room.settings_failed'));
      });
  });

  return (room, settings) => {
    code = room;
    const known = [...slowMode.options].some((o) => Number(o.value) === settings.slowModeS);
    if (!known) slowMode.append(new Option(t('room.seconds', { seconds: settings.slowModeS }), String(settings.slowModeS)));
    slowMode.value = String(settings.slowModeS);
    description.value = settings.description ?? '';
    rules.value = settings.rules ?? '';
    setMessage(error, null);
    save.disabled = false;
    dialog.showModal();
  };
}
