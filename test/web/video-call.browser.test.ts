/**
 * A video chat with real media: two browser contexts with Chromium's fake
 * camera and microphone, on two nodes sharing Redis, both choosing video,
 * with every connection forced through coturn on 127.0.0.1 (`?ice=relay`, the
 * page's test switch for `iceTransportPolicy: "relay"`). Each side decodes the
 * other's video and receives its audio over a relayed candidate pair; a blip
 * (the browser offline for a few seconds) resumes the call; stopping the video
 * keeps the text chat; Next stops every track on both sides. The video screen
 * passes axe at desktop and phone size, light and dark, and is photographed
 * for docs/.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { eventually } from '../../testkit/eventually';
import { connect } from '../helpers/clients';
import { startCoturn, type Coturn } from '../../testkit/coturn';
import { expectNoViolations, scan } from './axe-scan';
import { say, SCREENSHOTS_DIR, sendReport, startStack, VIEWPORTS, waitForState, type Stack } from './harness';

jest.setTimeout(300_000);

const DOCS = path.join(__dirname, '..', '..', 'docs');
const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
/** Generous bounds: media through a relay on a busy 2-core machine. */
const MEDIA_MS = 30_000;

/** Keeps every RTCPeerConnection and camera stream the page makes, for reading their stats and tracks. */
const RECORD_MEDIA = `(() => {
  const Native = window.RTCPeerConnection;
  window.__peers = [];
  window.__streams = [];
  window.RTCPeerConnection = class extends Native {
    constructor(configuration) {
      super(configuration);
      window.__peers.push(this);
    }
  };
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    window.__streams.push(stream);
    return stream;
  };
})()`;

interface CallFigures {
  framesDecoded: number;
  audioPackets: number;
  localCandidateType: string | undefined;
  transportPolicy: string | undefined;
}

/** The newest peer connection's figures: inbound video frames decoded, inbound audio packets, the selected pair's local candidate type. */
const READ_FIGURES = `(async () => {
  const peer = window.__peers[window.__peers.length - 1];
  const result = { framesDecoded: 0, audioPackets: 0, localCandidateType: undefined, transportPolicy: undefined };
  if (!peer) return result;
  result.transportPolicy = peer.getConfiguration().iceTransportPolicy;
  const byId = new Map();
  (await peer.getStats()).forEach((entry) => byId.set(entry.id, entry));
  let pair;
  for (const entry of byId.values()) {
    if (entry.type === 'inbound-rtp' && entry.kind === 'video') result.framesDecoded += entry.framesDecoded ?? 0;
    if (entry.type === 'inbound-rtp' && entry.kind === 'audio') result.audioPackets += entry.packetsReceived ?? 0;
    if (entry.type === 'transport' && entry.selectedCandidatePairId) pair = byId.get(entry.selectedCandidatePairId);
  }
  pair ??= [...byId.values()].find((entry) => entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded');
  result.localCandidateType = pair ? byId.get(pair.localCandidateId)?.candidateType : undefined;
  return result;
})()`;

const figures = (page: Page): Promise<CallFigures> => page.evaluate(READ_FIGURES) as Promise<CallFigures>;

/** Every camera and microphone track the page opened, by state. */
const trackStates = (page: Page): Promise<string[]> =>
  page.evaluate('window.__streams.flatMap((stream) => stream.getTracks().map((track) => track.readyState))') as Promise<string[]>;

/** The ICE username fragment of the newest connection's local description (an ICE restart changes it). */
const iceUfrag = (page: Page): Promise<string> =>
  page.evaluate('window.__peers[window.__peers.length - 1].localDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]') as Promise<string>;

/** Media flows into `page` through the relay: video frames decoded and still growing, audio packets received. */
async function mediaFlows(page: Page, after = 0): Promise<CallFigures> {
  const first = await eventually(async () => {
    const now = await figures(page);
    expect(now.framesDecoded).toBeGreaterThan(after);
    expect(now.audioPackets).toBeGreaterThan(0);
    expect(now.localCandidateType).toBe('relay');
    return now;
  }, { timeoutMs: MEDIA_MS, intervalMs: 250 });
  return eventually(async () => {
    const now = await figures(page);
    expect(now.framesDecoded).toBeGreaterThan(first.framesDecoded + 5);
    expect(now.audioPackets).toBeGreaterThan(first.audioPackets);
    return now;
  }, { timeoutMs: MEDIA_MS, intervalMs: 250 });
}

/** The operator's token: the last test reads a report's frame through the admin API. */
const ADMIN_TOKEN = 'video-tests-operator-token-0123456789abcdef';

let stack: Stack;
let turn: Coturn;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  turn = await startCoturn();
  stack = await startStack(2, { TURN_URLS: turn.urls.join(','), TURN_SECRET: turn.secret, RANDOM_FALLBACK_MS: '500', ADMIN_TOKEN }, { chromiumArgs: MEDIA_ARGS });
});

afterAll(async () => {
  await stack?.close();
  await turn?.stop();
});

/** A page with the camera and microphone allowed, relayed through TURN only, that chose video on the start screen. */
async function videoPage(node: number, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await stack.browser.newContext({
    ...VIEWPORTS.desktop,
    permissions: ['camera', 'microphone'],
    reducedMotion: 'reduce',
    bypassCSP: true, // for axe-core's script
    ...options,
  });
  await context.addInitScript(RECORD_MEDIA);
  const page = await context.newPage();
  await page.goto(`${stack.nodes[node]!.url}/?ice=relay`);
  await page.getByTestId('mode-video').check();
  await page.getByTestId('video-options').waitFor();
  return page;
}

async function startVideoChat(a: Page, b: Page): Promise<void> {
  await a.getByTestId('start').click();
  await waitForState(a, 'searching');
  await b.getByTestId('start').click();
  await Promise.all([waitForState(a, 'chatting'), waitForState(b, 'chatting')]);
  await Promise.all([a.getByTestId('video-stage').waitFor(), b.getByTestId('video-stage').waitFor()]);
}

test('a camera that is refused or in use is said on the start screen in plain words, and no search starts', async () => {
  const context = await stack.browser.newContext({ ...VIEWPORTS.mobile });
  await context.addInitScript(`window.__refusal = 'NotAllowedError';
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('refused', window.__refusal));`);
  const page = await context.newPage();
  await page.goto(stack.nodes[0]!.url);
  await page.getByTestId('mode-video').check();
  await page.getByTestId('start').click();
  const refused = page.getByTestId('start-error').filter({ hasText: 'parley isn’t allowed to use your camera and microphone.' });
  await refused.waitFor();
  // The words stay while the page goes on updating: another visitor arrives, the online figure changes.
  const figure = await page.getByTestId('online-count').textContent();
  const visitor = await connect(stack.nodes[0]!.url);
  await eventually(async () => expect(await page.getByTestId('online-count').textContent()).not.toBe(figure), 20_000);
  expect(await refused.isVisible()).toBe(true);
  visitor.disconnect();
  await page.evaluate("window.__refusal = 'NotReadableError'");
  await page.getByTestId('start').click();
  await page.getByTestId('start-error').filter({ hasText: 'Your camera or microphone is in use by another app.' }).waitFor();
  await waitForState(page, 'idle');
  await context.close();
});

describe('a video chat through coturn', () => {
  let a: Page;
  let b: Page;

  test('both see and hear each other over a relayed pair, the stranger blurred until tapped', async () => {
    a = await videoPage(0);
    b = await videoPage(1);
    expectNoViolations(await scan(b, 'start screen, video chosen'));
    await b.setViewportSize(VIEWPORTS.desktop.viewport);
    await startVideoChat(a, b);
    const [fromB, fromA] = await Promise.all([mediaFlows(a), mediaFlows(b)]);
    expect(fromB.transportPolicy).toBe('relay');
    expect(fromA.transportPolicy).toBe('relay');
    for (const page of [a, b]) {
      await page.locator('[data-testid="video-stage"][data-phase="connected"]').waitFor();
      expect(await page.locator('.video-frame').getAttribute('class')).toContain('is-blurred');
    }
    await a.getByTestId('video-reveal').click();
    expect(await a.locator('.video-frame').getAttribute('class')).not.toContain('is-blurred');
    await a.getByTestId('video-quality').filter({ hasText: /Connection: (good|fair|poor)/ }).waitFor({ timeout: MEDIA_MS });
  });

  test('camera off and mute reach the stranger, and come back on', async () => {
    await a.getByTestId('video-camera').click();
    await a.getByTestId('video-microphone').click();
    await b.getByTestId('video-partner-state').filter({ hasText: 'The stranger’s camera is off · The stranger is muted' }).waitFor();
    await a.getByTestId('video-self-off').waitFor();
    await a.getByTestId('video-camera').click();
    await a.getByTestId('video-microphone').click();
    await b.getByTestId('video-partner-state').waitFor({ state: 'hidden' });
  });

  test('the video screen passes axe (the stranger shown and blurred), and is photographed at desktop and phone size', async () => {
    await b.getByTestId('video-reveal').click();
    expectNoViolations(await scan(a, 'video chat'));
    await a.setViewportSize(VIEWPORTS.desktop.viewport);
    await say(a, 'hi from the video chat');
    await b.getByTestId('messages').filter({ hasText: 'hi from the video chat' }).waitFor();
    await a.screenshot({ path: path.join(SCREENSHOTS_DIR, 'video-desktop.png') });
    copyFileSync(path.join(SCREENSHOTS_DIR, 'video-desktop.png'), path.join(DOCS, 'video-desktop.png'));
    // In Arabic, right to left, and dark.
    const phone = await videoPage(0, { ...VIEWPORTS.mobile, colorScheme: 'dark', locale: 'ar-EG' });
    // The Arabic reader also chats in English, so the two meet.
    await phone.getByTestId('languages-input').fill('ar, en');
    await phone.getByTestId('languages-input').blur();
    const other = await videoPage(1, VIEWPORTS.mobile);
    await other.getByTestId('mode-choice').evaluate((node) => node.scrollIntoView({ block: 'start' }));
    await other.screenshot({ path: path.join(SCREENSHOTS_DIR, 'video-start-phone.png') });
    copyFileSync(path.join(SCREENSHOTS_DIR, 'video-start-phone.png'), path.join(DOCS, 'video-start-phone.png'));
    await startVideoChat(phone, other);
    await mediaFlows(phone);
    await phone.locator('[data-testid="video-stage"][data-phase="connected"]').waitFor();
    expectNoViolations(await scan(phone, 'video chat, the stranger blurred'));
    await phone.setViewportSize(VIEWPORTS.mobile.viewport);
    await phone.emulateMedia({ colorScheme: 'dark' }); // the scan leaves the page light
    expect(await phone.locator('html').getAttribute('dir')).toBe('rtl');
    await phone.screenshot({ path: path.join(SCREENSHOTS_DIR, 'video-phone-ar-dark.png') });
    copyFileSync(path.join(SCREENSHOTS_DIR, 'video-phone-ar-dark.png'), path.join(DOCS, 'video-phone-ar-dark.png'));
    await other.getByTestId('video-reveal').click();
    await other.screenshot({ path: path.join(SCREENSHOTS_DIR, 'video-phone.png') });
    copyFileSync(path.join(SCREENSHOTS_DIR, 'video-phone.png'), path.join(DOCS, 'video-phone.png'));
    // Next and leave are in reach on the phone, beside the message box.
    await phone.getByTestId('composer-actions').getByTestId('next').waitFor();
    await phone.getByTestId('leave').click();
    await eventually(async () => expect(await trackStates(phone)).not.toContain('live'));
    await phone.context().close();
    await other.context().close();
  });

  test('a report can carry a still frame of the stranger’s video, a JPEG of at most 150 KB', async () => {
    await a.getByTestId('report').click();
    await a.getByTestId('report-frame').check();
    const preview = a.getByTestId('report-frame-preview');
    await preview.waitFor();
    const src = (await preview.getAttribute('src')) ?? '';
    expect(src.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(Buffer.from(src.slice(src.indexOf(',') + 1), 'base64').length).toBeLessThanOrEqual(150 * 1024);
    await a.getByTestId('report-cancel').click();
  });

  /** `away` drops off the network for a few seconds and comes back; the call restarts ICE and media flows again both ways. */
  async function blip(away: Page, stayed: Page): Promise<void> {
    const before = await figures(stayed);
    const ufragBefore = await iceUfrag(away);
    await away.context().setOffline(true);
    await away.locator('[data-testid="video-stage"][data-phase="reconnecting"]').waitFor({ timeout: MEDIA_MS });
    await new Promise((resolve) => setTimeout(resolve, 3000)); // the blip itself: the network stays down this long
    await away.context().setOffline(false);
    await waitForState(away, 'chatting');
    await away.locator('[data-testid="video-stage"][data-phase="connected"]').waitFor({ timeout: MEDIA_MS });
    await Promise.all([mediaFlows(away, (await figures(away)).framesDecoded), mediaFlows(stayed, before.framesDecoded)]);
    // The same connection, restarted: new ICE credentials, each side holding the other's. The
    // initiator may restart twice (its ICE failed during the blip, then the stranger came back):
    // media flows after the first, and the second offer's answer may still be on its way.
    expect(await iceUfrag(away)).not.toBe(ufragBefore);
    await eventually(async () =>
      expect(await iceUfrag(stayed)).toBe(await away.evaluate('window.__peers[window.__peers.length - 1].remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]')),
    );
  }

  test('a blip on either side (one of them the initiator) resumes the call with an ICE restart: frames grow again', async () => {
    await blip(a, b);
    await blip(b, a);
  });

  test('a reload in a video chat picks the call up again, on either side', async () => {
    for (const page of [a, b]) {
      await page.reload();
      await waitForState(page, 'chatting');
      await page.locator('[data-testid="video-stage"][data-phase="connected"]').waitFor({ timeout: MEDIA_MS });
      await Promise.all([mediaFlows(a), mediaFlows(b)]);
    }
  });

  test('stopping the video keeps the text chat, and stops the tracks on both sides', async () => {
    await a.getByTestId('video-stop').click();
    await a.getByTestId('video-notice').filter({ hasText: 'You stopped the video. The chat goes on by text.' }).waitFor();
    await b.getByTestId('video-notice').filter({ hasText: 'The stranger stopped the video. The chat goes on by text.' }).waitFor();
    await Promise.all([a.getByTestId('video-stage').waitFor({ state: 'hidden' }), b.getByTestId('video-stage').waitFor({ state: 'hidden' })]);
    for (const page of [a, b]) await eventually(async () => expect(await trackStates(page)).not.toContain('live'));
    await say(b, 'still here by text');
    await a.getByTestId('messages').filter({ hasText: 'still here by text' }).waitFor();
    await waitForState(a, 'chatting');
  });

  test('Next searches by video again, and stops every track on both sides at once', async () => {
    // Next from the text chat searches by video again; someone new chooses video on the other node.
    await a.getByTestId('next').click();
    await waitForState(a, 'searching');
    const c = await videoPage(1);
    await c.getByTestId('start').click();
    await Promise.all([waitForState(a, 'chatting'), waitForState(c, 'chatting')]);
    await Promise.all([mediaFlows(a), mediaFlows(c)]);
    expect(await trackStates(c)).toContain('live');
    await a.getByTestId('next').click();
    for (const page of [a, c]) await eventually(async () => expect(await trackStates(page)).not.toContain('live'));
    await c.getByTestId('video-stage').waitFor({ state: 'hidden' });
  });

  test('a report from a video chat carries the still frame to the console, marked as the reporter’s', async () => {
    // Nobody else searches by video: `a` still did after Next.
    await Promise.all([a.context().close(), b.context().close()]);
    const reporter = await videoPage(0);
    const reported = await videoPage(1);
    await startVideoChat(reporter, reported);
    await mediaFlows(reporter);
    await reporter.getByTestId('report').click();
    await reporter.getByTestId('report-reason-harassment').check();
    await reporter.getByTestId('report-frame').check();
    await reporter.getByTestId('report-frame-preview').waitFor();
    await sendReport(reporter);
    // The reporter's node holds the report (no PostgreSQL here): its evidence says a frame came with it.
    const api = (path: string): Promise<Response> => fetch(`${stack.nodes[0]!.url}/api/admin${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const { groups } = (await (await api('/reports')).json()) as { groups: { reports: { id: string; frame?: boolean }[] }[] };
    const report = groups.flatMap((g) => g.reports).find((r) => r.frame);
    expect(report).toBeDefined();
    const frame = await api(`/reports/${report!.id}/frame`);
    expect(frame.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await frame.arrayBuffer());
    expect([bytes[0], bytes[1], bytes.at(-2), bytes.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(bytes.length).toBeLessThanOrEqual(150 * 1024);
    await Promise.all([reporter.context().close(), reported.context().close()]);
  });
});
