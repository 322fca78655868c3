/**
 * A page of a topic room's history, oldest first: from the store's recent
 * window, and with PostgreSQL from the archive where the page reaches below
 * that window.
 */
import type { RoomHistoryPage } from '../protocol';
import type { RoomHistory, RoomsStore, StoredRoomMessage } from '../store/rooms-store';
import { messageView } from './views';

export async function historyPage(
  store: Pick<RoomsStore, 'history'>,
  archive: RoomHistory | undefined,
  code: string,
  query: { before?: number; limit: number; notBefore: number },
  viewerId: string | null,
): Promise<RoomHistoryPage> {
  const { before, limit, notBefore } = query;
  const view = (m: StoredRoomMessage) => messageView(m, viewerId);
  const recent = await store.history(code, query);
  const oldestKept = recent.oldestKept ?? 1;
  if (!archive || oldestKept <= 1 || recent.hasMore) return { messages: recent.messages.map(view), hasMore: recent.hasMore };
  // The page reaches below the recent window: the rest comes from PostgreSQL.
  const need = limit - recent.messages.length;
  const older = await archive.history(code, { before: Math.min(before ?? oldestKept, oldestKept), limit: Math.max(need, 1), notBefore });
  if (need <= 0) return { messages: recent.messages.map(view), hasMore: older.messages.length > 0 };
  return { messages: [...older.messages, ...recent.messages].map(view), hasMore: older.hasMore };
}
