/**
 * How the web client's files are served: the page and its static files from
 * the built folder, with the headers an installable app needs. The service
 * worker (/sw.js) and the manifest are revalidated on every load (`no-cache`:
 * a new build's worker is seen at once and replaces the old shell), and so is
 * the page, whose scripts and styles carry a version in their URL; the rest
 * may be kept for an hour.
 */
import path from 'node:path';
import express from 'express';
import type { ServerResponse } from 'node:http';

/** Files always revalidated, with the content type each must carry. */
const REVALIDATED: Record<string, string> = {
  'sw.js': 'text/javascript; charset=utf-8',
  'manifest.webmanifest': 'application/manifest+json; charset=utf-8',
  'index.html': 'text/html; charset=utf-8',
};

/** serve-static's `setHeaders`: runs before its own Cache-Control and Content-Type, which then keep these. */
export function shellHeaders(res: ServerResponse, file: string): void {
  const type = REVALIDATED[path.basename(file)];
  if (!type) return;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-cache');
}

/** The built web client in `publicDir`, served as an app shell. */
export function appShell(publicDir: string): express.RequestHandler {
  return express.static(publicDir, { index: 'index.html', maxAge: '1h', setHeaders: shellHeaders });
}
