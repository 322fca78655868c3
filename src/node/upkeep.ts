/**
 * A node's timers: presence, the reaper, ban reloads, the room archiver, the
 * minute's maintenance (memory pruning, retention purges, the suspension
 * review) and the hourly purge of expired direct messages.
 */
import { roomRetentionMs } from '../backend/retention';
import type { NodeParts } from './parts';
import type { NodeServices } from './services';

const MAINTENANCE_INTERVAL_MS = 60_000;
/** How often expired direct messages are purged (every node; the purge is idempotent). */
const DM_PURGE_INTERVAL_MS = 3_600_000;

export interface Upkeep {
  /** Stops every timer, the matchmaker's searches included, and waits for the passes under way. */
  stop(): Promise<void>;
}

export function startUpkeep({ config, backend, clock, logger }: NodeParts, services: NodeServices): Upkeep {
  const { matchmaker, online, reaper, enforcement, archiver, archive, reports, dms } = services;
  online.start();
  reaper.start();
  enforcement.start();
  archiver?.start();
  const maintenance = setInterval(() => {
    backend.maintain(clock.now());
    // Room history beyond ROOM_HISTORY_DAYS leaves PostgreSQL (any node may do it; it is idempotent).
    archive?.purge(clock.now() - roomRetentionMs(config)).catch((err: unknown) => logger.debug({ err }, 'room history purge failed'));
    // Reports and their evidence, and identity standings, beyond REPORT_RETENTION_DAYS.
    const retained = clock.now() - config.reportRetentionDays * 86_400_000;
    Promise.all([backend.moderationStore.purgeReports(retained), backend.moderationStore.purgeStandings(retained)]).catch((err: unknown) =>
      logger.debug({ err }, 'report purge failed'),
    );
    // Suspensions whose reporters turn out not to be independent are lifted.
    reports.review().then(
      (lifted) => lifted.length > 0 && logger.info({ lifted: lifted.length }, 'suspensions lifted: their reporters were not independent'),
      (err: unknown) => logger.debug({ err }, 'suspension review failed'),
    );
  }, MAINTENANCE_INTERVAL_MS);
  maintenance.unref();
  const purgeDms = (): void => {
    dms.purge().then(
      (purged) => purged > 0 && logger.info({ purged }, 'expired direct messages purged'),
      (err: unknown) => logger.warn({ err }, 'direct message purge failed'),
    );
  };
  purgeDms();
  const purging = setInterval(purgeDms, DM_PURGE_INTERVAL_MS);
  purging.unref();

  return {
    stop: async () => {
      clearInterval(maintenance);
      clearInterval(purging);
      matchmaker.close();
      await reaper.stop();
      await online.stop();
      enforcement.stop();
      await archiver?.stop();
    },
  };
}
