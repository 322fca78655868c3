/**
 * A report's still frame end to end, on a memory node and on a node with
 * PostgreSQL: a valid JPEG data URL sent with a chat report is stored with the
 * report and read back through the operator API (as image/jpeg, never
 * sniffed, only with the token, each view audited); a frame that is not a
 * JPEG, too big, not base64, or sent with anything but a chat report is
 * INVALID_PAYLOAD and stores nothing.
 */
import type { AuditResponse, MatchedEvent, ReportResponse } from '../../src/protocol';
import { REPORT_FRAME_MAX_BYTES } from '../../src/moderation/report-frame';
import { connect, disconnectAll, next, request, type Client } from '../helpers/clients';
import { startNode, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';

const TOKEN = 'an-operator-token-of-at-least-32-chars';
const SOI = [0xff, 0xd8, 0xff, 0xe0];
const EOI = [0xff, 0xd9];

/** JPEG-shaped bytes (start and end markers) of `size` bytes. */
function jpeg(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x2a);
  Buffer.from(SOI).copy(bytes, 0);
  Buffer.from(EOI).copy(bytes, size - 2);
  return bytes;
}
const dataUrl = (bytes: Buffer, type = 'image/jpeg') => `data:${type};base64,${bytes.toString('base64')}`;

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(() => postgres?.stop());
afterEach(() => disconnectAll());

describe.each([
  ['memory', (): Record<string, string> => ({})],
  ['PostgreSQL', (): Record<string, string> => ({ DATABASE_URL: postgres.url })],
])('a report frame on a %s store', (_name, env) => {
  let node: RunningNode;
  let interests = 0;
  beforeAll(async () => {
    node = await startNode({ ADMIN_TOKEN: TOKEN, MATCH_COOLDOWN_MS: '0', REMATCH_WINDOW_MS: '0', ...env() });
  }, 60_000);
  afterAll(() => node?.close());

  const admin = (path: string, token: string | null = TOKEN) =>
    fetch(`${node.url}/api/admin${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function chatting(): Promise<[Client, Client]> {
    const [a, b] = await Promise.all([connect(node.url), connect(node.url)]);
    const topic = `frame-${++interests}`;
    const matched = next<MatchedEvent>(b, 'matched');
    await request(a, 'find-match', { interests: [topic] });
    await request(b, 'find-match', { interests: [topic] });
    await matched;
    return [a, b];
  }

  test('a valid frame is stored with the chat report and served to the operator as a JPEG', async () => {
    const [reporter] = await chatting();
    const bytes = jpeg(REPORT_FRAME_MAX_BYTES);
    const ack = await request<{ reportId: string }>(reporter, 'report', { target: { kind: 'chat' }, reason: 'sexual', frame: dataUrl(bytes) });
    if (!ack.ok) throw new Error(ack.error.code);

    const read = await admin(`/reports/${ack.reportId}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as ReportResponse).report).toMatchObject({ id: ack.reportId, reason: 'sexual', frame: true });

    const frame = await admin(`/reports/${ack.reportId}/frame`);
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-type')).toBe('image/jpeg');
    expect(frame.headers.get('x-content-type-options')).toBe('nosniff');
    expect(frame.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(frame.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await frame.arrayBuffer()).equals(bytes)).toBe(true);

    expect((await admin(`/reports/${ack.reportId}/frame`, null)).status).toBe(401);
    expect((await admin(`/reports/${ack.reportId}/frame`, `${TOKEN}-wrong`)).status).toBe(401);
    const audit = (await (await admin('/audit?limit=20')).json()) as AuditResponse;
    expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'report.view-frame', detail: { reportId: ack.reportId } }));
  });

  test('a report without a frame has none to serve', async () => {
    const [reporter] = await chatting();
    const ack = await request<{ reportId: string }>(reporter, 'report', { target: { kind: 'chat' }, reason: 'spam' });
    if (!ack.ok) throw new Error(ack.error.code);
    const { report } = (await (await admin(`/reports/${ack.reportId}`)).json()) as ReportResponse;
    expect(report.frame).toBeUndefined();
    expect((await admin(`/reports/${ack.reportId}/frame`)).status).toBe(404);
  });

  test('a frame that is not a JPEG, too big, malformed or not about a chat partner is INVALID_PAYLOAD and stores nothing', async () => {
    const [reporter, reported] = await chatting();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const bad: unknown[] = [
      dataUrl(png, 'image/png'),
      dataUrl(png),
      dataUrl(Buffer.concat([Buffer.from(SOI), Buffer.alloc(40)])),
      dataUrl(jpeg(REPORT_FRAME_MAX_BYTES + 1)),
      `${dataUrl(jpeg(64))}\n`,
      'data:image/jpeg;base64,/9j/4AAQ*kZJRg==',
      `data:image/jpeg;base64,${jpeg(64).toString('base64url')}_`,
      'https://example.com/frame.jpg',
      '',
      42,
      { data: dataUrl(jpeg(64)) },
    ];
    for (const frame of bad) {
      const ack = await request(reporter, 'report', { target: { kind: 'chat' }, reason: 'harassment', frame });
      expect({ frame: String(frame).slice(0, 40), ack }).toMatchObject({ ack: { ok: false, error: { code: 'INVALID_PAYLOAD' } } });
    }
    const room = await request(reporter, 'report', { target: { kind: 'room-itself', code: 'lobby' }, reason: 'spam', frame: dataUrl(jpeg(64)) });
    expect(room).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });

    // Still chatting, and nothing was filed against the partner.
    const reportedId = reported.session.userId;
    const queue = (await (await admin('/reports?status=open')).json()) as { groups: { targetId: string }[] };
    expect(queue.groups.map((g) => g.targetId)).not.toContain(reportedId);
    expect(await request(reporter, 'send-message', { text: 'still here' })).toMatchObject({ ok: true });
  });
});
