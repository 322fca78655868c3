/**
 * The message box, the same in the chat, a room and a conversation with a
 * contact: Enter sends, Shift+Enter breaks the line (and Enter while an input
 * method composes is left to it), a counter shows the room left under the
 * server's limit in characters, the send button is off while there is nothing
 * to send or too much, and typing is signalled (throttled).
 *
 * Text over the limit is never cut: Enter hands it to the feature, whose
 * controller says in words that it is too long, and the text stays in the box
 * to be shortened. A message that leaves clears the box, unless sending it
 * failed at once (the feature's error is showing): then the text stays too.
 */
import { byTestId } from '../app/dom';
import type { Settings } from '../app/settings';
import { characterCount, showCount } from './length-counter';
import { createTypingSignal, typingOptionsFor } from './typing';

/** The box grows with its text up to this height, then scrolls. */
const MAX_HEIGHT_PX = 160;

/** The composer's elements. */
export interface ComposerParts {
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
  counter: HTMLElement;
}

/** The parts a room's and a conversation's composer carry as `<prefix>-composer`, `-input`, `-send` and `-counter`. */
export function composerParts(prefix: 'room' | 'dm'): ComposerParts {
  return {
    form: byTestId<HTMLFormElement>(`${prefix}-composer`),
    input: byTestId<HTMLTextAreaElement>(`${prefix}-input`),
    send: byTestId<HTMLButtonElement>(`${prefix}-send`),
    counter: byTestId(`${prefix}-counter`),
  };
}

export interface ComposerOptions {
  /** The server's message limit in characters (code points), and its typing timeout (the typing signal's intervals follow from it). */
  limits: Pick<Settings, 'maxMessageLength' | 'typingTimeoutMs'>;
  /** Whether there is a conversation to write to now; while false nothing is sent. Always, when left out. */
  open?(): boolean;
  /** Hands the box's text (untrimmed) to the feature. */
  send(text: string): void;
  /** Signals that the user started or stopped typing. */
  typing(isTyping: boolean): void;
  /** Read right after `send`: true when the feature refused the text, which then stays in the box. */
  refused(): boolean;
  /** The box grows with its text (up to MAX_HEIGHT_PX). */
  grow?: boolean;
  /** Escape pressed in the box. */
  escape?(): void;
}

export interface Composer {
  /** Redraws the counter, the send button and the box's height from the box's text. */
  refresh(): void;
  /** Stops typing and empties the box (the conversation changed or ended). */
  clear(): void;
  /** Ends the typing state now. */
  stopTyping(): void;
  focus(options?: FocusOptions): void;
  /** Puts `text` in the box (an own message to edit), caret at its end. */
  setText(text: string): void;
}

export function bindComposer(parts: ComposerParts, options: ComposerOptions): Composer {
  const { form, input, send, counter } = parts;
  const open = options.open ?? (() => true);
  const max = options.limits.maxMessageLength;
  const typing = createTypingSignal((on) => options.typing(on), typingOptionsFor(options.limits.typingTimeoutMs));

  const refresh = () => {
    const length = characterCount(input.value.trim());
    const over = showCount(counter, length, max);
    input.setAttribute('aria-invalid', String(over));
    send.disabled = length === 0 || over || !open();
    if (!options.grow) return;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`;
  };

  const submit = () => {
    const length = characterCount(input.value.trim());
    if (length === 0 || !open()) return;
    // Too long: the feature says so in words, and the text stays to be shortened.
    if (length > max) return options.send(input.value);
    typing.stop();
    options.send(input.value);
    if (!options.refused()) input.value = '';
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
    } else if (event.key === 'Escape') options.escape?.();
  });
  input.addEventListener('input', () => {
    typing.input(input.value.trim().length > 0);
    refresh();
  });
  input.addEventListener('blur', () => typing.stop());

  return {
    refresh,
    clear() {
      typing.stop();
      input.value = '';
      refresh();
    },
    stopTyping: () => typing.stop(),
    focus: (focusOptions) => input.focus(focusOptions),
    setText(text) {
      input.value = text;
      refresh();
      input.focus();
      input.setSelectionRange(text.length, text.length);
    },
  };
}
