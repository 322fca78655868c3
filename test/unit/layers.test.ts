/**
 * The layer rules of docs/architecture.md, read from the import statements of
 * every file in src/ and web/src/ (type-only imports count: they tie a file to
 * the module all the same).
 *
 * - src/ is ordered bottom up: protocol → config, errors, clock → store →
 *   domains (matchmaking, chat, rooms, contacts, moderation) → realtime → http
 *   → node wiring → main. A file may import its own layer or one below it,
 *   never one above. A file of src/ in no layer fails too: place it first.
 * - src/protocol/ (the wire types) imports nothing outside src/protocol/, not
 *   even a package: it is what the web client and a client SDK build on.
 * - web/src/ imports nothing of src/ outside src/protocol/, and no Socket.IO
 *   client (socket.io-client, engine.io-client): the page talks to the server
 *   through @parley/client only.
 *
 * Violations the layout work has not removed yet are listed in ALLOWED, each
 * with the step that removes it. Any violation not listed fails; an entry that
 * no longer occurs is reported so it can be deleted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve as resolvePath, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolvePath(__dirname, '../..');

interface Layer {
  name: string;
  /** Repository paths: a folder ends with `/`, anything else is one file. */
  paths: readonly string[];
}

/** Bottom up: an import may point at its own layer or a lower one. */
const LAYERS: readonly Layer[] = [
  { name: 'protocol', paths: ['src/protocol/'] },
  // client-address.ts parses TRUST_PROXY for config.ts.
  { name: 'config, errors, clock', paths: ['src/config.ts', 'src/errors.ts', 'src/clock.ts', 'src/client-address.ts'] },
  { name: 'store', paths: ['src/store/'] },
  // metrics.ts reads the store's counts; realtime and http count through it.
  {
    name: 'domains',
    paths: ['src/matchmaking/', 'src/chat/', 'src/call/', 'src/rooms/', 'src/contacts/', 'src/moderation/', 'src/metrics.ts'],
  },
  { name: 'realtime', paths: ['src/realtime/'] },
  { name: 'http', paths: ['src/http/'] },
  { name: 'node wiring', paths: ['src/node/', 'src/backend/', 'src/server.ts', 'src/index.ts'] },
  { name: 'main', paths: ['src/main.ts', 'src/migrate.ts'] },
];

const PROTOCOL = 'src/protocol/';

/** The transport under @parley/client, which the web client never imports itself. */
const SOCKET_CLIENTS = /^(socket\.io-client|engine\.io-client)(\/|$)/;

interface Source {
  /** Repository path, `/`-separated. */
  path: string;
  text: string;
}

/** Where an import of `specifier` from `from` lands: a repository path, or undefined for a package. */
type Resolve = (specifier: string, from: string) => string | undefined;

interface Violation {
  from: string;
  /** The imported repository path, or the package name. */
  to: string;
  rule: string;
}

const inside = (path: string, entry: string): boolean => (entry.endsWith('/') ? path.startsWith(entry) : path === entry);

function layerOf(path: string): number {
  return LAYERS.findIndex((layer) => layer.paths.some((entry) => inside(path, entry)));
}

/** Every import of `sources` that breaks a rule above. */
function findViolations(sources: readonly Source[], resolve: Resolve): Violation[] {
  const found: Violation[] = [];
  for (const source of sources) {
    const inSrc = source.path.startsWith('src/');
    const own = inSrc ? layerOf(source.path) : -1;
    if (inSrc && own < 0) found.push({ from: source.path, to: source.path, rule: 'in no layer: add it to LAYERS' });
    for (const { fileName: specifier } of ts.preProcessFile(source.text, true, true).importedFiles) {
      const target = resolve(specifier, source.path);
      const to = target ?? specifier;
      if (source.path.startsWith(PROTOCOL)) {
        if (!target?.startsWith(PROTOCOL)) found.push({ from: source.path, to, rule: 'src/protocol imports only src/protocol' });
      } else if (source.path.startsWith('web/src/')) {
        if (target?.startsWith('src/') && !target.startsWith(PROTOCOL)) {
          found.push({ from: source.path, to, rule: 'web/src imports nothing of src/ but src/protocol' });
        }
        if (SOCKET_CLIENTS.test(specifier)) found.push({ from: source.path, to, rule: 'web/src talks to the server through @parley/client only' });
      } else if (inSrc && own >= 0 && target?.startsWith('src/')) {
        const theirs = layerOf(target);
        if (theirs > own) found.push({ from: source.path, to, rule: `${LAYERS[own]!.name} imports ${LAYERS[theirs]!.name}` });
      }
    }
  }
  return found;
}

/**
 * Today's violations, each removed by a later step of the layout work (issue
 * 22); delete an entry with the last import it names. Nothing is added here: a
 * new violation is fixed where it is written. A `from` ending in `/` stands for
 * every file under it.
 */
const ALLOWED: readonly (readonly [from: string, to: string])[] = [
];

const key = (from: string, to: string): string => `${from} → ${to}`;

// ---- reading the repository ----

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function compilerOptions(tsconfig: string): ts.CompilerOptions {
  const file = join(ROOT, tsconfig);
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, dirname(file)).options;
}

/** Resolves as the compiler does (path aliases included), with the options of the file's own tsconfig. */
function repositoryResolver(): Resolve {
  const server = compilerOptions('tsconfig.json');
  const web = compilerOptions('web/tsconfig.json');
  return (specifier, from) => {
    const options = from.startsWith('web/') ? web : server;
    const { resolvedModule } = ts.resolveModuleName(specifier, join(ROOT, from), options, ts.sys);
    if (resolvedModule && !resolvedModule.isExternalLibraryImport) {
      return relative(ROOT, resolvedModule.resolvedFileName).split(sep).join('/');
    }
    // An unresolvable relative import still names a place (typecheck reports it).
    if (!resolvedModule && specifier.startsWith('.')) return posix.join(posix.dirname(from), specifier);
    return undefined;
  };
}

// ---- the checks ----

/** A resolver over an in-memory tree: relative imports only, `.ts` or `/index.ts`. */
function memoryResolver(paths: readonly string[]): Resolve {
  return (specifier, from) => {
    if (!specifier.startsWith('.')) return undefined;
    const base = posix.join(posix.dirname(from), specifier);
    return [`${base}.ts`, `${base}/index.ts`].find((p) => paths.includes(p)) ?? base;
  };
}

function check(files: Record<string, string>): string[] {
  const sources = Object.entries(files).map(([path, text]) => ({ path, text }));
  return findViolations(sources, memoryResolver(Object.keys(files))).map((v) => `${key(v.from, v.to)} (${v.rule})`);
}

describe('the layer checker', () => {
  it('accepts imports that run down or sideways', () => {
    expect(
      check({
        'src/clock.ts': 'export const c = 1;',
        'src/store/store.ts': "import type { Clock } from '../clock';",
        'src/rooms/room-service.ts': "import { c } from '../clock';\nimport type { S } from '../store/store';\nimport { z } from 'zod';",
        'src/contacts/encounters.ts': "import type { R } from '../rooms/room-service';",
        'src/main.ts': "import { x } from './server';",
        'src/server.ts': "import { y } from './realtime/connection';",
        'src/realtime/connection.ts': "import type { R } from '../rooms/room-service';",
        'src/protocol/events.ts': "import type { ChatEvents } from './chat';",
        'src/protocol/chat.ts': 'export type ChatEvents = {};',
        'web/src/chat/chat-controller.ts': "import type { ChatEvents } from '../../../src/protocol/chat';\nimport { h } from '../app/dom';",
      }),
    ).toEqual([]);
  });

  it('fails on a planted import that runs up the order', () => {
    expect(
      check({
        'src/store/store.ts': "import type { Locker } from '../matchmaking/ports';",
        'src/matchmaking/ports.ts': "export type { ParleySocket } from '../realtime/types';",
        'src/realtime/types.ts': 'export type ParleySocket = {};',
        'src/config.ts': "const t = require('./store/store');",
        'src/rooms/room-service.ts': "type S = import('../http/app').S;",
        'src/http/app.ts': '',
      }),
    ).toEqual([
      'src/store/store.ts → src/matchmaking/ports.ts (store imports domains)',
      'src/matchmaking/ports.ts → src/realtime/types.ts (domains imports realtime)',
      'src/config.ts → src/store/store.ts (config, errors, clock imports store)',
      'src/rooms/room-service.ts → src/http/app.ts (domains imports http)',
    ]);
  });

  it('fails on a protocol file importing outside src/protocol, and on a web file importing src/ beside it', () => {
    expect(
      check({
        'src/protocol/chat.ts': "import type { ErrorCode } from '../errors';\nimport { z } from 'zod';",
        'src/errors.ts': '',
        'web/src/state.ts': "import type { Store } from '../../src/store/store';\nimport type { E } from '../../src/protocol/events';",
        'src/store/store.ts': '',
        'src/protocol/events.ts': '',
      }),
    ).toEqual([
      'src/protocol/chat.ts → src/errors.ts (src/protocol imports only src/protocol)',
      'src/protocol/chat.ts → zod (src/protocol imports only src/protocol)',
      'web/src/state.ts → src/store/store.ts (web/src imports nothing of src/ but src/protocol)',
    ]);
  });

  it('fails on a web file importing the Socket.IO client instead of @parley/client', () => {
    expect(
      check({
        'web/src/app/connection.ts': "import { connect } from '@parley/client';\nimport type { ParleyClient } from '@parley/client';",
        'web/src/chat/direct.ts': "import { io } from 'socket.io-client';\nimport type { Socket } from 'engine.io-client/build/esm/socket';",
        'web/src/chat/lazy.ts': "const m = await import('socket.io-client');",
      }),
    ).toEqual([
      'web/src/chat/direct.ts → socket.io-client (web/src talks to the server through @parley/client only)',
      'web/src/chat/direct.ts → engine.io-client/build/esm/socket (web/src talks to the server through @parley/client only)',
      'web/src/chat/lazy.ts → socket.io-client (web/src talks to the server through @parley/client only)',
    ]);
  });

  it('fails on a source file in no layer', () => {
    expect(check({ 'src/stray.ts': 'export const s = 1;' })).toEqual(['src/stray.ts → src/stray.ts (in no layer: add it to LAYERS)']);
  });
});

describe('the repository', () => {
  it('resolves imports as the compiler does, so a planted one running up is seen', () => {
    const planted = [
      { path: 'src/store/planted.ts', text: "import { createServer } from '../server';\nimport type { Config } from '../config';" },
      { path: 'web/src/planted.ts', text: "import type { MatchStore } from '../../src/store/match-store';" },
    ];
    expect(findViolations(planted, repositoryResolver()).map((v) => key(v.from, v.to))).toEqual([
      'src/store/planted.ts → src/server.ts',
      'web/src/planted.ts → src/store/match-store.ts',
    ]);
  });

  it('resolves the web client alias for the wire types to src/protocol', () => {
    expect(repositoryResolver()('@parley/protocol', 'web/src/app/main.ts')).toBe('src/protocol/index.ts');
  });

  it('has no import running up the layers but the allowlisted ones', () => {
    const paths = [...walk('src'), ...walk('web/src')];
    const sources = paths.map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
    const violations = findViolations(sources, repositoryResolver());
    const allows = ([from, to]: readonly [string, string], v: Violation) => v.to === to && inside(v.from, from);
    const gone = ALLOWED.filter((entry) => !violations.some((v) => allows(entry, v))).map(([from, to]) => key(from, to));
    console.log(
      `layers: ${sources.length} files, ${ALLOWED.length} allowlist entries covering ${violations.length} known violations` +
        (gone.length ? `; no longer found, delete from ALLOWED:\n  ${gone.join('\n  ')}` : ''),
    );
    const fresh = violations.filter((v) => !ALLOWED.some((entry) => allows(entry, v)));
    expect(fresh.map((v) => `${key(v.from, v.to)} (${v.rule})`)).toEqual([]);
  });
});
