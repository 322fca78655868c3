/**
 * The operator API over fetch, with the token as a bearer header. Every call
 * resolves (never rejects) to the data or to a failure the console can act
 * on: `unauthorized` asks for the token again, `rate-limited` says to wait.
 */
import type {
  AuditResponse,
  BansResponse,
  ReportQueueResponse,
  ReportResponse,
  Resolution,
  ResolveResponse,
  RoomsResponse,
} from '@parley/protocol';

export type Failure =
  | { ok: false; kind: 'unauthorized'; message: string }
  | { ok: false; kind: 'rate-limited'; message: string; retryAfterS: number | null }
  | { ok: false; kind: 'not-found' | 'refused' | 'invalid' | 'unavailable'; message: string };

export type Result<T> = { ok: true; data: T } | Failure;

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

async function errorMessage(res: Response): Promise<string | null> {
  try {
    const body = (await res.json()) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : null;
  } catch {
    return null;
  }
}

/** Turns a response that is not 2xx into a failure. */
export async function failureOf(res: Response): Promise<Failure> {
  const message = await errorMessage(res);
  if (res.status === 401 || res.status === 403) {
    return { ok: false, kind: 'unauthorized', message: 'That token wasn’t accepted. Enter it again.' };
  }
  if (res.status === 429) {
    const header = Number(res.headers.get('retry-after'));
    const retryAfterS = Number.isFinite(header) && header > 0 ? header : null;
    const wait = retryAfterS ? `Wait ${retryAfterS} s` : 'Wait a moment';
    return { ok: false, kind: 'rate-limited', message: `Too many requests. ${wait}, then try again.`, retryAfterS };
  }
  if (res.status === 404) return { ok: false, kind: 'not-found', message: message ?? 'Not found: it may be gone already.' };
  if (res.status === 409) return { ok: false, kind: 'refused', message: message ?? 'That isn’t possible any more.' };
  if (res.status === 400) return { ok: false, kind: 'invalid', message: message ?? 'The server refused that request.' };
  return { ok: false, kind: 'unavailable', message: message ?? `The server answered ${res.status}. Try again.` };
}

export function createAdminApi(token: () => string | null, fetchImpl: Fetch = (input, init) => fetch(input, init)) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token() ?? ''}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch {
      return { ok: false, kind: 'unavailable', message: 'Can’t reach the server. Check the connection and try again.' };
    }
    if (!res.ok) return failureOf(res);
    if (res.status === 204) return { ok: true, data: undefined as T };
    try {
      return { ok: true, data: (await res.json()) as T };
    } catch {
      return { ok: false, kind: 'unavailable', message: 'The server sent something unreadable. Try again.' };
    }
  }
  /**
   * A report's still frame as a `data:image/jpeg;base64,…` URL (the page's
   * CSP lets images come from data: URLs, not blob: ones): fetched with the
   * token like every call, and taken only when the server sent a JPEG.
   */
  async function frame(id: string): Promise<Result<string>> {
    let res: Response;
    try {
      res = await fetchImpl(`/api/admin/reports/${encodeURIComponent(id)}/frame`, {
        headers: { accept: 'image/jpeg', authorization: `Bearer ${token() ?? ''}` },
        credentials: 'omit',
      });
    } catch {
      return { ok: false, kind: 'unavailable', message: 'Can’t reach the server. Check the connection and try again.' };
    }
    if (!res.ok) return failureOf(res);
    const unreadable: Failure = { ok: false, kind: 'unavailable', message: 'The server sent something that is not a JPEG.' };
    if (res.headers.get('content-type') !== 'image/jpeg') return unreadable;
    const bytes = new Uint8Array(await res.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { ok: true, data: `data:image/jpeg;base64,${btoa(binary)}` };
  }
  const enc = encodeURIComponent;
  return {
    frame,
    queue: (status: 'open' | 'closed' = 'open') => call<ReportQueueResponse>('GET', `/api/admin/reports?status=${status}`),
    report: (id: string) => call<ReportResponse>('GET', `/api/admin/reports/${enc(id)}`),
    resolve: (id: string, resolution: Resolution) => call<ResolveResponse>('POST', `/api/admin/reports/${enc(id)}/resolve`, resolution),
    bans: () => call<BansResponse>('GET', '/api/admin/bans'),
    liftBan: (id: string) => call<void>('DELETE', `/api/admin/bans/${enc(id)}`),
    audit: (limit = 200) => call<AuditResponse>('GET', `/api/admin/audit?limit=${limit}`),
    deleteRoomMessage: (code: string, seq: number) => call<void>('DELETE', `/api/admin/rooms/${enc(code)}/messages/${seq}`),
    rooms: () => call<RoomsResponse>('GET', '/api/admin/rooms'),
    removeRoom: (code: string) => call<void>('DELETE', `/api/admin/rooms/${enc(code)}`),
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;
