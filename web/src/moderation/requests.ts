/** The `report` event, acked, as a promise that never rejects. */
import type { ReportWithFrame } from '@parley/client';
import { settle, type ParleyClient } from '../app/connection';

export function reportRequest(client: ParleyClient) {
  return (payload: ReportWithFrame) => settle(() => client.report(payload));
}

export type SendReport = ReturnType<typeof reportRequest>;
