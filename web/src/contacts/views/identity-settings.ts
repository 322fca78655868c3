/**
 * "Your identity and privacy": appear offline, the recovery key (shown as
 * text and as a QR code, with Copy), "Use a recovery key" on another device,
 * and "Delete my identity" after a confirmation.
 */
import type { Confirm } from '../../ui/confirm';
import { byTestId, setMessage } from '../../app/dom';
import type { ContactsStateStore } from '../contacts-state';
import type { IdentityActions } from '../identity-actions';
import { qrSvg } from './qr-code';
import { t } from '../../i18n/i18n';

/** Opens the recovery key dialog; for the list's "Save recovery key" suggestion too. */
export type ShowKey = () => void;

function mountRecoveryDialog(actions: IdentityActions): ShowKey {
  const dialog = byTestId<HTMLDialogElement>('recovery-dialog');
  const qr = byTestId('recovery-qr');
  const keyField = byTestId<HTMLTextAreaElement>('recovery-key');
  const copy = byTestId<HTMLButtonElement>('recovery-copy');
  let opener: HTMLElement | null = null;

  copy.addEventListener('click', () => {
    const done = (text: string) => {
      copy.textContent = text;
      setTimeout(() => (copy.textContent = t('page.copy_key')), 2000);
    };
    keyField.select();
    if (navigator.clipboard) navigator.clipboard.writeText(keyField.value).then(() => done(t('identity.copied')), () => done(t('identity.select_and_copy')));
    else done(t('identity.select_and_copy'));
  });
  keyField.addEventListener('focus', () => keyField.select());
  dialog.addEventListener('close', () => opener?.focus());

  return () => {
    const key = actions.recoveryKey();
    if (!key) return;
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    keyField.value = key;
    qr.replaceChildren(qrSvg(key));
    actions.markKeySaved();
    dialog.showModal();
  };
}

function mountRestoreDialog(actions: IdentityActions): () => void {
  const dialog = byTestId<HTMLDialogElement>('restore-dialog');
  const form = byTestId<HTMLFormElement>('restore-form');
  const input = byTestId<HTMLTextAreaElement>('restore-input');
  const error = byTestId('restore-error');
  byTestId('restore-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const problem = actions.restore(input.value);
    setMessage(error, problem);
    if (problem) input.focus();
  });
  return () => {
    input.value = '';
    setMessage(error, null);
    dialog.showModal();
  };
}

export function mountIdentitySettings(
  store: ContactsStateStore,
  actions: IdentityActions,
  confirm: Confirm,
): ShowKey {
  const appearOffline = byTestId<HTMLInputElement>('appear-offline');
  const error = byTestId('identity-error');
  const remove = byTestId<HTMLButtonElement>('delete-identity');
  const showKey = mountRecoveryDialog(actions);
  const restore = mountRestoreDialog(actions);

  appearOffline.addEventListener('change', () => void actions.setAppearOffline(appearOffline.checked));
  byTestId('recovery-open').addEventListener('click', showKey);
  byTestId('restore-open').addEventListener('click', restore);
  remove.addEventListener('click', () => {
    void confirm({
      title: t('identity.delete_title'),
      text: t('identity.delete_text'),
      confirm: t('identity.delete_confirm'),
    }).then(async (yes) => {
      if (!yes) return remove.focus();
      remove.disabled = true;
      if (!(await actions.deleteIdentity())) remove.disabled = false;
    });
  });

  const section = byTestId<HTMLDetailsElement>('identity-settings');
  store.subscribe((state) => {
    if (appearOffline.checked !== state.appearOffline) appearOffline.checked = state.appearOffline;
    const problem = state.error?.scope === 'identity' ? state.error.text : null;
    // Something to report opens the section, so it is seen.
    if (problem) section.open = true;
    setMessage(error, problem);
  });
  return showKey;
}
