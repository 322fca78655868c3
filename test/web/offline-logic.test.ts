/** The service worker's routing rules: only the shell from the cache, the API and live traffic never. */
import { isAppPage, isNetworkOnly, routeOf } from '../../web/src/offline/shell-routes';

const ORIGIN = 'https://parley.example';
const SHELL = new Set(['/', '/app.js?v=abc', '/styles.css?v=def', '/icon-192.png']);
const req = (url: string, mode = 'no-cors', method = 'GET') => ({ url: new URL(url, ORIGIN).href, mode, method });

describe('service worker routes', () => {
  test('a navigation to the start page or an invite link gets the cached page', () => {
    for (const path of ['/', '/index.html', '/r/AbC-12_x', '/r/AbC/']) expect(routeOf(req(path, 'navigate'), ORIGIN, SHELL)).toBe('page');
    expect(isAppPage('/r/a/b')).toBe(false);
  });

  test('a navigation elsewhere in the scope (console, rules, API) goes to the network', () => {
    for (const path of ['/admin', '/admin/', '/rules', '/api/config', '/health', '/elsewhere']) {
      expect(routeOf(req(path, 'navigate'), ORIGIN, SHELL)).toBe('network');
    }
  });

  test('listed shell files come from the cache, only in the build version listed', () => {
    expect(routeOf(req('/app.js?v=abc'), ORIGIN, SHELL)).toBe('shell');
    expect(routeOf(req('/icon-192.png'), ORIGIN, SHELL)).toBe('shell');
    expect(routeOf(req('/app.js?v=old'), ORIGIN, SHELL)).toBe('network');
    expect(routeOf(req('/app.js.map'), ORIGIN, SHELL)).toBe('network');
  });

  test('the API, Socket.IO, the console, health and figures are never served from the cache', () => {
    const live = ['/api/config', '/api/rooms?x=1', '/socket.io/?EIO=4&transport=polling', '/admin', '/admin.js', '/health', '/health/ready', '/stats', '/metrics', '/rules'];
    // Even if a build listed one of them by mistake.
    const careless = new Set([...SHELL, ...live]);
    for (const path of live) {
      expect(routeOf(req(path), ORIGIN, careless)).toBe('network');
      expect(routeOf(req(path, 'navigate'), ORIGIN, careless)).toBe('network');
    }
    expect(isNetworkOnly('/apiary')).toBe(false);
    expect(isNetworkOnly('/admin-styles.css')).toBe(true);
    expect(isNetworkOnly('/statsig.js')).toBe(false);
  });

  test('other origins and anything but GET go to the network', () => {
    expect(routeOf({ url: 'https://cdn.example/app.js?v=abc', mode: 'cors', method: 'GET' }, ORIGIN, SHELL)).toBe('network');
    expect(routeOf(req('/app.js?v=abc', 'cors', 'POST'), ORIGIN, SHELL)).toBe('network');
  });
});
