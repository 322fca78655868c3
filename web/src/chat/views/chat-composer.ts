/**
 * The chat's message box (the shared composer binding): it sends only while
 * a chat is open, is disabled otherwise, and empties when the chat ends.
 */
import type { ChatActions } from '../chat-controller';
import { byTestId } from '../../app/dom';
import type { Settings } from '../../app/settings';
import type { Store } from '../../app/state';
import { bindComposer } from '../../ui/composer';

export function mountComposer(store: Store, actions: ChatActions, settings: Settings): { focus(): void } {
  const input = byTestId<HTMLTextAreaElement>('message-input');
  const composer = bindComposer(
    {
      form: byTestId<HTMLFormElement>('composer'),
      input,
      send: byTestId<HTMLButtonElement>('send'),
      counter: byTestId('char-counter'),
    },
    {
      limits: settings,
      open: () => store.get().phase === 'chatting',
      send: (text) => actions.send(text),
      typing: (on) => actions.typing(on),
      refused: () => store.get().error?.scope === 'chat',
      grow: true,
    },
  );

  store.subscribe((state, previous) => {
    const open = state.phase === 'chatting';
    input.disabled = !open;
    if (previous.phase === 'chatting' && !open) composer.clear();
    else composer.refresh();
  });

  return { focus: () => composer.focus() };
}
