/** The `report` event, acked, as a promise that never rejects. */
import type { ReportPayload } from '@parley/protocol';
import { settle, type ParleyClient } from '../app/connection';

export function reportRequest(client: ParleyClient) {
  return (payload: ReportPayload) => settle(() => client.report(payload));
}

export type SendReport = ReturnType<typeof reportRequest>;
