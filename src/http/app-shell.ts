/**
 * How the web client's files are served: the page and its static files from
 * the built folder, with the headers an installable app on a slow phone needs.
 *
 * - Text files (scripts, styles, HTML, SVG, the manifest) go out compressed:
 *   the build writes Brotli (`.br`) and gzip (`.gz`) copies beside them, and
 *   the best one the browser accepts is sent, so nothing is compressed per
 *   request (`Vary: Accept-Encoding`).
 * - The service worker (/sw.js), the manifest and the page are revalidated on
 *   every load (`no-cache`): a new build's worker is seen at once and replaces
 *   the old shell; the page's scripts and styles carry a version in their URL.
 *   The rest may be kept for an hour.
 * - An invite link (/r/<code>) is the same page, which joins the room itself.
 */
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import express from 'express';

/** Files always revalidated, with the content type each must carry. */
const REVALIDATED: Record<string, string> = {
  'sw.js': 'text/javascript; charset=utf-8',
  'manifest.webmanifest': 'application/manifest+json; charset=utf-8',
  'index.html': 'text/html; charset=utf-8',
};

/** What the build precompresses (scripts/build-web.js), by name: the folder is flat. */
const COMPRESSIBLE = /^\/[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(js|css|html|svg|webmanifest)$/;

/** The encodings sent, best first, with the suffix of their copies. */
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

/** The best encoding of ours that an Accept-Encoding header takes (q > 0), ours ranked, not the header's order. */
export function pickEncoding(header: string | undefined): (typeof ENCODINGS)[number] | undefined {
  const taken = new Set<string>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((x) => x.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) taken.add(name);
  }
  return ENCODINGS.find(([name]) => taken.has(name));
}

/** serve-static's `setHeaders`: runs before its own Cache-Control and Content-Type, which then keep these. */
export function shellHeaders(res: ServerResponse, file: string): void {
  const type = REVALIDATED[path.basename(file).replace(/\.(br|gz)$/, '')];
  if (!type) return;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-cache');
}

/** Points a request for a text file at its precompressed copy, when the browser takes one and the build made it. */
function precompressed(publicDir: string): express.RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path === '/' ? '/index.html' : req.path;
    if (!COMPRESSIBLE.test(name) || name.includes('..')) return next();
    res.vary('Accept-Encoding');
    const [encoding, suffix] = pickEncoding(req.headers['accept-encoding']) ?? [];
    if (!encoding || !suffix || !existsSync(path.join(publicDir, name + suffix))) return next();
    res.setHeader('Content-Encoding', encoding);
    res.type(path.extname(name));
    const query = req.url.indexOf('?');
    req.url = name + suffix + (query >= 0 ? req.url.slice(query) : '');
    next();
  };
}

/** The built web client in `publicDir`, served as an app shell. */
export function appShell(publicDir: string): express.Router {
  const router = express.Router();
  router.get('/r/:code', (req, _res, next) => {
    req.url = '/';
    next();
  });
  router.use(precompressed(publicDir));
  router.use(express.static(publicDir, { index: 'index.html', maxAge: '1h', setHeaders: shellHeaders }));
  return router;
}
