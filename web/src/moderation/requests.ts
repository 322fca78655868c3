/** The `report` event, acked, as a promise that never rejects. */
import type { ReportPayload } from '@parley/protocol';
import { ACK_TIMEOUT_MS, settle, type ParleySocket } from '../app/connection';

export function reportRequest(socket: ParleySocket, timeoutMs = ACK_TIMEOUT_MS) {
  return (payload: ReportPayload) =>
    settle<{ reportId: string }>(() => socket.timeout(timeoutMs).emitWithAck('report', payload));
}

export type SendReport = ReturnType<typeof reportRequest>;
