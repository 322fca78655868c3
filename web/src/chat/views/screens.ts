/** Shows the one screen that fits the state and moves focus to where the user acts next. */
import { show } from '../../app/dom';
import type { AppState, Store } from '../../app/state';

type Screen = 'start' | 'search' | 'chat' | 'replaced';

function screenOf(state: AppState): Screen {
  if (state.link === 'replaced') return 'replaced';
  if (state.phase === 'searching') return 'search';
  if (state.phase === 'chatting' || state.phase === 'partner-left') return 'chat';
  return 'start';
}

/** The element to focus on arrival, by data-testid. */
function focusTarget(state: AppState): string | null {
  if (state.link === 'replaced') return 'reconnect';
  switch (state.phase) {
    case 'searching':
      return 'cancel';
    case 'chatting':
      return 'message-input';
    case 'partner-left':
      return 'find-new';
    default:
      return 'interests-input';
  }
}

export function mountScreens(store: Store): void {
  const sections = new Map<Screen, HTMLElement>();
  document.querySelectorAll<HTMLElement>('[data-screen]').forEach((s) => sections.set(s.dataset.screen as Screen, s));
  const app = document.documentElement;
  let shown: Screen | null = null;
  let focusedFor: string | null = null;

  store.subscribe((state) => {
    const screen = screenOf(state);
    if (screen !== shown) {
      sections.forEach((section, name) => show(section, name === screen));
      // Each screen opens at its top (its heading), not where it was last scrolled to.
      sections.get(screen)?.scrollTo({ top: 0 });
      app.dataset.screen = screen;
    }
    const key = `${screen}:${state.phase}`;
    // Focus moves only when the user's situation changes, never on the first paint.
    if (shown !== null && key !== focusedFor) {
      const target = focusTarget(state);
      // After the other views have drawn this state (a disabled box cannot take focus).
      setTimeout(() => {
        const node = target ? document.querySelector<HTMLElement>(`[data-testid="${target}"]`) : null;
        if (node && !document.querySelector('dialog[open]')) node.focus({ preventScroll: true });
      });
    }
    focusedFor = key;
    shown = screen;
  });
}
