/**
 * The service worker (/sw.js): it keeps the app shell — the page, its scripts,
 * styles and icons, as listed by the build — in a cache named after the build,
 * so the page opens without a network and a new build replaces the old shell
 * (installed whole, then the older caches are deleted). It answers only the
 * shell's requests, from that cache; everything else (the API, Socket.IO,
 * the console, health and figures) goes to the network untouched and is never
 * stored. See shell-routes.ts.
 */
import { routeOf, SHELL_CACHE_PREFIX } from './shell-routes';

/** Written in by the build (scripts/build-web.js): the build's version and the shell's URLs. */
declare const PARLEY_SHELL: { version: string; files: string[] };

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  readonly location: Location;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const CACHE = `${SHELL_CACHE_PREFIX}${PARLEY_SHELL.version}`;
const SHELL = new Set(PARLEY_SHELL.files);
/** The cached page every app address is answered with. */
const PAGE = '/';

scope.addEventListener('install', (event) => {
  // `reload`: fetched from the server, not from the HTTP cache, so the shell is this build's throughout.
  const requests = PARLEY_SHELL.files.map((file) => new Request(file, { cache: 'reload' }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)).then(() => scope.skipWaiting()));
});

scope.addEventListener('activate', (event) => {
  const stale = caches.keys().then((names) => names.filter((name) => name.startsWith(SHELL_CACHE_PREFIX) && name !== CACHE));
  event.waitUntil(stale.then((names) => Promise.all(names.map((name) => caches.delete(name)))).then(() => scope.clients.claim()));
});

async function fromShell(request: Request, key: string | Request): Promise<Response> {
  const cached = await caches.match(key, { cacheName: CACHE });
  return cached ?? fetch(request);
}

scope.addEventListener('fetch', (event) => {
  const route = routeOf(event.request, scope.location.origin, SHELL);
  if (route === 'network') return;
  event.respondWith(fromShell(event.request, route === 'page' ? PAGE : event.request));
});
