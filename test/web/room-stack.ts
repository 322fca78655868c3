/**
 * What the room browser tests stand on, set up once per file: `useRoomStack()`
 * registers its own beforeAll/afterAll that start Redis (and PostgreSQL when
 * asked), two parley nodes and Chromium, and close them. It hands out people
 * on either node (./room-people) and takes screenshots into
 * artifacts/screenshots/, copied under the same name to docs/.
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { SCREENSHOTS_DIR, startStack, type Stack } from './harness';
import { roomPerson } from './room-people';

const DOCS_DIR = path.join(__dirname, '..', '..', 'docs');

export interface RoomStackOptions {
  /** Settings for the nodes besides ROOM_MESSAGE_RATE_LIMIT=1000 (people here type faster than the default allows). */
  env?: Record<string, string>;
  /** Also a PostgreSQL the nodes keep rooms in (DATABASE_URL). */
  postgres?: boolean;
}

export interface RoomStack {
  /** The running nodes and browser (inside tests and hooks only). */
  readonly stack: Stack;
  /** The PostgreSQL, when asked for (inside tests and hooks only). */
  readonly postgres: PostgresServer;
  /** Someone on `stack.nodes[nodeIndex]` with a chosen room name, on the rooms side (see roomPerson). */
  person(nodeIndex: number, name: string, options?: BrowserContextOptions, extra?: { clockAheadMs?: number }): Promise<Page>;
  /** Someone with no chosen name who opens the room's invite link on `stack.nodes[nodeIndex]`. */
  guest(nodeIndex: number, code: string, options?: BrowserContextOptions): Promise<Page>;
  /** The room's invite link on `stack.nodes[nodeIndex]`. */
  inviteUrl(nodeIndex: number, code: string): string;
  /** A screenshot of `page` as artifacts/screenshots/<name>.png, copied to docs/<name>.png. */
  shoot(page: Page, name: string): Promise<void>;
}

export function useRoomStack({ env = {}, postgres: withPostgres = false }: RoomStackOptions = {}): RoomStack {
  let stack: Stack | undefined;
  let postgres: PostgresServer | undefined;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    if (withPostgres) postgres = await startPostgres();
    stack = await startStack(2, { ROOM_MESSAGE_RATE_LIMIT: '1000', ...(postgres ? { DATABASE_URL: postgres.url } : {}), ...env });
  });

  afterAll(async () => {
    await stack?.close();
    await postgres?.stop();
  });

  const running = (): Stack => {
    if (!stack) throw new Error('the room stack runs inside tests only');
    return stack;
  };
  const inviteUrl = (nodeIndex: number, code: string) => `${running().nodes[nodeIndex]!.url}/r/${code}`;

  return {
    get stack() {
      return running();
    },
    get postgres() {
      if (!postgres) throw new Error('useRoomStack({ postgres: true }) starts a PostgreSQL');
      return postgres;
    },
    person: (nodeIndex, name, options = {}, extra = {}) => roomPerson(running(), nodeIndex, name, options, extra),
    async guest(nodeIndex, code, options = {}) {
      const page = await running().open(running().nodes[nodeIndex]!, options);
      await page.goto(inviteUrl(nodeIndex, code));
      await page.getByTestId('room-view').waitFor();
      return page;
    },
    inviteUrl,
    async shoot(page, name) {
      const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      expect(statSync(file).size).toBeGreaterThan(5_000);
      copyFileSync(file, path.join(DOCS_DIR, `${name}.png`));
    },
  };
}
