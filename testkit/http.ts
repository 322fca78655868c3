/** Plain HTTP GETs (health checks, /stats, /metrics), over a chosen agent when the source address matters. */
import http from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
}

/** GET over the given agent (which fixes the source address); rejects after `timeoutMs` without an answer. */
export function httpGet(url: string, agent?: http.Agent, timeoutMs = 5000, headers?: http.OutgoingHttpHeaders): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs, ...(headers ? { headers } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** GET and parse JSON; anything but 200 is an error. */
export async function getJson<T>(url: string, agent?: http.Agent, headers?: http.OutgoingHttpHeaders): Promise<T> {
  const { status, body } = await httpGet(url, agent, undefined, headers);
  if (status !== 200) throw new Error(`GET ${url}: ${status} ${body}`);
  return JSON.parse(body) as T;
}
