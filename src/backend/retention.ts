import type { Config } from '../config';

/** How long room messages are kept: ROOM_HISTORY_DAYS. */
export const roomRetentionMs = (config: Config): number => config.roomHistoryDays * 86_400_000;
