/**
 * The conversation with one contact around its message list: the bar (back,
 * nickname, presence, options: rename, remove, block), the typing line, the
 * composer. On phones it replaces the list; on wide screens it sits beside it.
 */
import type { Confirm } from '../../ui/confirm';
import { byTestId, setMessage, setMixedText, show } from '../../app/dom';
import { formatDay, formatTime, typingParts } from '../../app/format';
import { characterCount, showCount } from '../../ui/length-counter';
import type { Settings } from '../../app/settings';
import { bindComposer, composerParts } from '../../ui/composer';
import { NICKNAME_MAX, type ContactActions } from '../contacts-controller';
import { presenceText, type ContactsStateStore } from '../contacts-state';
import { t } from '../../i18n/i18n';

function mountRename(store: ContactsStateStore, actions: ContactActions, current: () => string | null): () => void {
  const dialog = byTestId<HTMLDialogElement>('rename-dialog');
  const form = byTestId<HTMLFormElement>('rename-form');
  const input = byTestId<HTMLInputElement>('rename-input');
  const counter = byTestId('rename-counter');
  const error = byTestId('rename-error');
  const save = byTestId<HTMLButtonElement>('rename-save');
  // No maxlength on the field: the browser would cut a pasted name silently (an emoji at the end first).
  const refresh = () => {
    const over = showCount(counter, characterCount(input.value.trim()), NICKNAME_MAX);
    input.setAttribute('aria-invalid', String(over));
    save.disabled = over;
    setMessage(error, over ? t('contacts.nickname_too_long', { max: NICKNAME_MAX }) : null);
  };
  input.addEventListener('input', refresh);
  byTestId('rename-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = current();
    if (!id || !input.value.trim() || save.disabled) return input.focus();
    void actions.rename(id, input.value).then((ok) => ok && dialog.close());
  });
  return () => {
    const id = current();
    if (!id) return;
    input.value = store.get().contacts.get(id)?.nickname ?? '';
    refresh();
    dialog.showModal();
    input.select();
  };
}

export function mountDmView(
  store: ContactsStateStore,
  actions: ContactActions,
  confirm: Confirm,
  settings: Settings,
  visible: () => boolean,
): void {
  const layout = byTestId('contacts');
  const view = byTestId('dm-view');
  const title = byTestId('dm-title');
  const presence = byTestId('dm-presence');
  const dot = byTestId('dm-presence-dot');
  const optionsButton = byTestId<HTMLButtonElement>('dm-options');
  const optionsPanel = byTestId('dm-options-panel');
  const typing = byTestId('dm-typing');
  const typingLine = typing.querySelector<HTMLElement>('.dm-typing-text')!;
  const error = byTestId('dm-error');
  let contactId: string | null = null;

  const composer = bindComposer(composerParts('dm'), {
    limits: settings,
    open: () => contactId !== null,
    send: (text) => contactId && actions.send(contactId, text),
    typing: (on) => contactId && actions.typing(contactId, on),
    refused: () => store.get().error?.scope === 'dm',
    grow: true,
  });

  const setOptions = (open: boolean) => {
    optionsButton.setAttribute('aria-expanded', String(open));
    show(optionsPanel, open);
  };
  optionsButton.addEventListener('click', () => setOptions(optionsPanel.hidden));
  optionsPanel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      setOptions(false);
      optionsButton.focus();
    }
  });
  byTestId('dm-back').addEventListener('click', () => actions.open(null));

  const openRename = mountRename(store, actions, () => contactId);
  byTestId('contact-rename').addEventListener('click', () => {
    setOptions(false);
    openRename();
  });
  const ask = (kind: 'remove' | 'block') => {
    const id = contactId;
    const name = id ? store.get().contacts.get(id)?.nickname : undefined;
    if (!id || !name) return;
    setOptions(false);
    void confirm(
      kind === 'remove'
        ? { title: t('contacts.remove_title', { name }), text: t('contacts.remove_text'), confirm: t('contacts.remove') }
        : { title: t('contacts.block_title', { name }), text: t('contacts.block_text'), confirm: t('contacts.block') },
    ).then((yes) => {
      if (!yes) return optionsButton.focus();
      void (kind === 'remove' ? actions.remove(id) : actions.block(id));
    });
  };
  byTestId('contact-remove').addEventListener('click', () => ask('remove'));
  byTestId('contact-block').addEventListener('click', () => ask('block'));

  store.subscribe((state, previous) => {
    const contact = state.active ? state.contacts.get(state.active) : undefined;
    layout.dataset.view = contact ? 'dm' : 'list';
    show(view, !!contact);
    if (!contact) {
      if (contactId) composer.stopTyping();
      contactId = null;
      return;
    }
    if (contactId !== contact.contactId) {
      composer.clear();
      setOptions(false);
      contactId = contact.contactId;
      if (previous.active !== state.active && visible()) setTimeout(() => composer.focus({ preventScroll: true }));
    }
    const conversation = state.conversations.get(contact.contactId);
    title.textContent = contact.nickname;
    presence.textContent = presenceText(contact, Date.now(), formatTime, formatDay);
    dot.classList.toggle('presence-online', contact.online);
    dot.classList.toggle('presence-away', contact.presence === 'away');
    view.dataset.online = String(contact.online);
    view.dataset.presence = contact.presence;
    setMixedText(typingLine, typingParts([contact.nickname]), '');
    show(typing, !!conversation?.typing);
    setMessage(error, state.error?.scope === 'dm' ? state.error.text : null);
  });
}
