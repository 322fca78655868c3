/**
 * The page as an installed app: registers the service worker (/sw.js, which
 * keeps the shell so the page opens without a network) and shows "You are
 * offline" while the device has no network. The connection itself is the
 * client's: it reconnects by itself once the network is back, and the header's
 * banner says so meanwhile; while offline that banner stays hidden (CSS on
 * `html[data-network="offline"]`) so one clear sentence explains the state.
 */
import { byTestId, show } from '../app/dom';
import { OFFLINE_TEXT } from './text';

export interface Network {
  /** Resolves when the device has a network (at once when it has one now). */
  online(): Promise<void>;
}

function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  // After the page has loaded, so installing the shell never competes with the first screen.
  const register = () => navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => undefined);
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}

/**
 * Mounts the offline banner and registers the service worker. A page opened
 * offline waits for the network before it asks the server for anything (its
 * limits, the rules, a connection); until then its screens are inert, so
 * nothing can be pressed that cannot work.
 */
export function mountOffline(): Network {
  const banner = byTestId('offline-banner');
  banner.querySelector('.banner-title')!.textContent = OFFLINE_TEXT.title();
  banner.querySelector('.banner-detail')!.textContent = ` ${OFFLINE_TEXT.detail()}`;
  const waiting = new Set<() => void>();
  const update = () => {
    const offline = !navigator.onLine;
    document.documentElement.dataset.network = offline ? 'offline' : 'online';
    show(banner, offline);
    if (offline) return;
    for (const resolve of waiting) resolve();
    waiting.clear();
  };
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  update();
  registerServiceWorker();

  return {
    online() {
      if (navigator.onLine) return Promise.resolve();
      const screens = [document.getElementById('main'), document.querySelector<HTMLElement>('.tabs')].filter((node): node is HTMLElement => !!node);
      for (const node of screens) node.inert = true;
      return new Promise((resolve) =>
        waiting.add(() => {
          for (const node of screens) node.inert = false;
          resolve();
        }),
      );
    },
  };
}
