/**
 * The message box: Enter sends, Shift+Enter breaks the line, a counter shows
 * the room left under the server's limit, and typing is signalled (throttled).
 */
import type { Actions } from '../chat-controller';
import { byTestId } from '../../app/dom';
import { characterCount, showCount } from '../../ui/length-counter';
import type { Settings } from '../../app/settings';
import type { Store } from '../../app/state';
import { createTypingSignal, typingOptionsFor } from '../../ui/typing';

/** The box grows with its text up to this height, then scrolls. */
const MAX_HEIGHT_PX = 160;

export function mountComposer(store: Store, actions: Actions, settings: Settings): { focus(): void } {
  const form = byTestId<HTMLFormElement>('composer');
  const input = byTestId<HTMLTextAreaElement>('message-input');
  const counter = byTestId('char-counter');
  const send = byTestId<HTMLButtonElement>('send');
  const max = settings.maxMessageLength;
  const typing = createTypingSignal((on) => actions.typing(on), typingOptionsFor(settings.typingTimeoutMs));

  const refresh = () => {
    const length = characterCount(input.value.trim());
    const over = showCount(counter, length, max);
    input.setAttribute('aria-invalid', String(over));
    send.disabled = length === 0 || over || store.get().phase !== 'chatting';
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`;
  };

  const submit = () => {
    if (send.disabled) {
      if (characterCount(input.value.trim()) > max) actions.send(input.value); // shows the too-long message
      return;
    }
    typing.stop();
    actions.send(input.value);
    if (store.get().error?.scope !== 'chat') input.value = '';
    refresh();
    input.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => {
    typing.input(input.value.trim().length > 0);
    refresh();
  });
  input.addEventListener('blur', () => typing.stop());

  store.subscribe((state, previous) => {
    const open = state.phase === 'chatting';
    input.disabled = !open;
    if (previous.phase === 'chatting' && !open) {
      typing.stop();
      input.value = '';
    }
    refresh();
  });

  return { focus: () => input.focus() };
}
