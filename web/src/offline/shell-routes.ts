/**
 * Which requests the service worker answers from the app shell's cache, and
 * which it leaves to the network. Pure: no DOM, no service worker scope, so
 * the rules are unit-tested and the build, the worker and the tests share them.
 *
 * The shell is the page and its static files (HTML, scripts, styles, icons,
 * manifest), listed by the build with their versioned URLs. Anything else —
 * the API, Socket.IO, the operator console, health, figures, the rules text —
 * always goes to the network and is never stored: no message, token or
 * server answer ends up in a cache.
 */

/** Paths never answered from the cache, whatever the shell list holds. */
export const NETWORK_ONLY_PREFIXES = ['/api', '/socket.io', '/admin', '/health', '/stats', '/metrics', '/rules'] as const;

/** The name of a shell cache; the build version in it makes a new build a new cache. */
export const SHELL_CACHE_PREFIX = 'parley-shell-';

/** The page's own addresses: the start page and invite links (`/r/<code>`), all the same HTML. */
export function isAppPage(pathname: string): boolean {
  return pathname === '/' || pathname === '/index.html' || /^\/r\/[A-Za-z0-9_-]+\/?$/.test(pathname);
}

/** The API, live traffic and figures (a path or anything under it), and the operator console with its files (`/admin*`). */
export function isNetworkOnly(pathname: string): boolean {
  if (pathname.startsWith('/admin')) return true;
  return NETWORK_ONLY_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * How the service worker treats a request: `page` (a navigation to the app:
 * the cached HTML), `shell` (a listed static file: the cached copy) or
 * `network` (left alone; the browser fetches it and nothing is stored).
 * `shell` holds the listed URLs as path plus query (`/app.js?v=…`).
 */
export function routeOf(
  request: { method: string; mode: string; url: string },
  origin: string,
  shell: ReadonlySet<string>,
): 'page' | 'shell' | 'network' {
  if (request.method !== 'GET') return 'network';
  const url = new URL(request.url);
  if (url.origin !== origin || isNetworkOnly(url.pathname)) return 'network';
  if (request.mode === 'navigate') return isAppPage(url.pathname) ? 'page' : 'network';
  return shell.has(url.pathname + url.search) ? 'shell' : 'network';
}
