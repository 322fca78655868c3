/**
 * The TURN credentials a node hands out work with a real coturn: headless
 * Chromium, forced onto the relay (`iceTransportPolicy: "relay"`), gathers a
 * relay candidate with fresh credentials, and none with expired ones (coturn
 * refuses the allocation: an `icecandidateerror`).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { iceServers, turnCredentials } from '../../src/call/ice-servers';
import type { IceServer } from '../../src/protocol';
import { startCoturn, type Coturn } from '../../testkit/coturn';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let turn: Coturn;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  turn = await startCoturn();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--disable-gpu', '--disable-quic', '--no-first-run'] });
  page = await browser.newPage();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await turn?.stop();
});

interface Gathered {
  types: string[];
  errors: { errorCode: number; errorText: string }[];
  state: string;
}

/** What the page's RTCPeerConnection offers this test (the server's tsconfig has no DOM types). */
interface PeerConnection {
  addEventListener(type: 'icecandidate', listener: (e: { candidate: { type?: string } | null }) => void): void;
  addEventListener(type: 'icecandidateerror', listener: (e: { errorCode: number; errorText: string }) => void): void;
  addEventListener(type: 'icegatheringstatechange', listener: () => void): void;
  createDataChannel(label: string): unknown;
  createOffer(): Promise<object>;
  setLocalDescription(description: object): Promise<void>;
  readonly iceGatheringState: string;
  close(): void;
}
type PeerConnectionClass = new (config: { iceServers: IceServer[]; iceTransportPolicy: 'relay' }) => PeerConnection;

/** Gathers ICE candidates on the relay only, until gathering completes (10 s at most). */
function gather(servers: IceServer[]): Promise<Gathered> {
  return page.evaluate(async (iceServers) => {
    const RTC = (globalThis as unknown as { RTCPeerConnection: PeerConnectionClass }).RTCPeerConnection;
    const pc = new RTC({ iceServers, iceTransportPolicy: 'relay' });
    const types: string[] = [];
    const errors: { errorCode: number; errorText: string }[] = [];
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate?.type) types.push(e.candidate.type);
    });
    pc.addEventListener('icecandidateerror', (e) => {
      errors.push({ errorCode: e.errorCode, errorText: e.errorText });
    });
    pc.createDataChannel('probe');
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const state = pc.iceGatheringState;
    pc.close();
    return { types, errors, state };
  }, servers);
}

const settings = () => ({ turnUrls: turn.urls, turnSecret: turn.secret, turnTtlS: 3600, stunUrls: [] });

test('fresh credentials from the node get a relay allocation from coturn', async () => {
  const gathered = await gather(iceServers(settings(), 'user-fresh', Date.now()));
  expect(gathered.state).toBe('complete');
  expect(gathered.types).toContain('relay');
}, 20_000);

test('expired credentials are refused by coturn: no relay candidate, an ICE candidate error', async () => {
  // Made two hours ago with a one-hour life: expired an hour ago.
  const { username, credential } = turnCredentials(turn.secret, 'user-expired', Date.now() - 7_200_000, 3600);
  const gathered = await gather([{ urls: turn.urls, username, credential }]);
  expect(gathered.types).toEqual([]);
  expect(gathered.errors.length).toBeGreaterThan(0);
  expect(gathered.errors.map((e) => e.errorCode)).toContain(401);
}, 20_000);

test('credentials signed with another secret are refused too', async () => {
  const { username, credential } = turnCredentials('not-the-secret-of-this-turn', 'user-forged', Date.now(), 3600);
  const gathered = await gather([{ urls: turn.urls, username, credential }]);
  expect(gathered.types).toEqual([]);
  expect(gathered.errors.length).toBeGreaterThan(0);
}, 20_000);
