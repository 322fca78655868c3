/**
 * Where the chat's buttons sit, and the keyboard way to skip.
 *
 * On a phone the bar keeps only who you talk to (shared interests in full)
 * and one menu button holding Report and Block; Leave and Next move beside
 * the message box, under the thumb. On wider screens every button sits in
 * the bar. The same buttons move (listeners and test ids stay theirs).
 *
 * The menu follows the menu-button pattern: Enter, Space or ArrowDown open it
 * on its first item, ArrowUp on its last; arrows, Home and End move between
 * items; Escape closes it and gives focus back to the button; Tab or a click
 * elsewhere closes it.
 *
 * Escape twice skips (as on Omegle): the first press arms ("Press Esc again
 * to skip"), a second within SKIP_WINDOW_MS ends the chat and searches again.
 */
import type { ChatActions } from '../chat-controller';
import { byTestId, show } from '../../app/dom';
import type { Store } from '../../app/state';

/** The width at and below which the phone layout applies (as in chat.css). */
export const PHONE_QUERY = '(max-width: 640px)';
/** How long the first Escape stays armed. */
export const SKIP_WINDOW_MS = 3000;

export interface ChatControls {
  /** Where focus should go back to after a dialog opened from `trigger` closes. */
  returnFocus(trigger: HTMLElement): HTMLElement;
}

export function mountChatControls(store: Store, actions: ChatActions): ChatControls {
  const bar = byTestId('chat-actions');
  const menu = byTestId('chat-menu');
  const menuButton = byTestId<HTMLButtonElement>('chat-menu-button');
  const list = byTestId('chat-menu-list');
  const composerActions = byTestId('composer-actions');
  const report = byTestId<HTMLButtonElement>('report');
  const block = byTestId<HTMLButtonElement>('block');
  const leave = byTestId<HTMLButtonElement>('leave');
  const next = byTestId<HTMLButtonElement>('next');
  const skipHint = byTestId('skip-hint');
  const chatScreen = document.querySelector<HTMLElement>('[data-screen="chat"]')!;
  const phone = window.matchMedia(PHONE_QUERY);

  // --- the menu ------------------------------------------------------------

  const items = () => [report, block].filter((b) => b.parentElement === list && !b.hidden);
  const isOpen = () => menuButton.getAttribute('aria-expanded') === 'true';

  const close = (focusButton: boolean) => {
    if (!isOpen()) return;
    menuButton.setAttribute('aria-expanded', 'false');
    show(list, false);
    if (focusButton) menuButton.focus();
  };

  const open = (at: 'first' | 'last') => {
    const choices = items();
    if (choices.length === 0) return;
    menuButton.setAttribute('aria-expanded', 'true');
    show(list, true);
    (at === 'first' ? choices[0] : choices[choices.length - 1])!.focus();
  };

  menuButton.addEventListener('click', () => (isOpen() ? close(false) : open('first')));
  menuButton.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      open(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  });
  list.addEventListener('keydown', (event) => {
    const choices = items();
    const at = choices.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      event.preventDefault();
      choices[(to + choices.length) % choices.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(choices.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault(); // handled: no skip arming
      close(true);
    } else if (event.key === 'Tab') close(false);
  });
  // An item chosen opens its dialog. The menu closes first (capture phase), with
  // focus on its button: that is where the dialog gives focus back.
  list.addEventListener(
    'click',
    (event) => {
      if ((event.target as HTMLElement).closest('button')) close(true);
    },
    true,
  );
  document.addEventListener('pointerdown', (event) => {
    if (isOpen() && !menu.contains(event.target as Node)) close(false);
  });

  // --- the layout ----------------------------------------------------------

  const asMenuItem = (button: HTMLButtonElement, inMenu: boolean) => {
    if (inMenu) {
      button.setAttribute('role', 'menuitem');
      button.tabIndex = -1;
    } else {
      button.removeAttribute('role');
      button.removeAttribute('tabindex');
    }
  };

  const place = () => {
    const small = phone.matches;
    close(false);
    if (small) {
      list.append(report, block);
      composerActions.append(leave, next);
    } else {
      bar.append(report, block, leave, next);
    }
    asMenuItem(report, small);
    asMenuItem(block, small);
    show(menu, small);
    show(composerActions, small);
  };
  place();
  phone.addEventListener('change', place);

  // --- Escape twice ------------------------------------------------------

  let armed: ReturnType<typeof setTimeout> | undefined;
  const disarm = () => {
    clearTimeout(armed);
    armed = undefined;
    show(skipHint, false);
  };

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented || event.repeat || event.isComposing) return;
    if (store.get().phase !== 'chatting' || document.querySelector('dialog[open]')) return;
    if (!chatScreen.checkVisibility()) return; // another tab of the page is showing
    if (armed !== undefined) {
      disarm();
      actions.next();
      return;
    }
    show(skipHint, true);
    armed = setTimeout(disarm, SKIP_WINDOW_MS);
  });

  store.subscribe((state, previous) => {
    if (state.phase !== 'chatting' || state.room?.id !== previous.room?.id) disarm();
    if (state.phase !== 'chatting' && state.phase !== 'partner-left') close(false);
  });

  return {
    returnFocus: (trigger) => (trigger.parentElement === list ? menuButton : trigger),
  };
}
