/**
 * A node's safety: the rules and their gate, the handshake's proof of work,
 * identity tokens, address hashing, reports with their evidence, and bans and
 * suspensions enforced on every node from the moderation store.
 */
import { nanoid } from 'nanoid';
import type { Matchmaker } from '../matchmaking/matchmaker';
import type { Metrics } from '../metrics';
import { AdminService } from '../moderation/admin-service';
import { Enforcement } from '../moderation/enforcement';
import { createEvidenceSource } from '../moderation/evidence';
import { createIpHasher, type IpHasher } from '../moderation/ip-hash';
import { ProofOfWork } from '../moderation/proof-of-work';
import { ReportService } from '../moderation/report-service';
import { loadRules, type Rules } from '../moderation/rules';
import { RulesGate } from '../moderation/rules-gate';
import { userChannel } from '../realtime/channels';
import { createEnforcer } from '../realtime/enforcer';
import { spend } from '../realtime/handlers/support';
import { IdentityIssuer } from '../realtime/identity';
import type { RoomService } from '../rooms/room-service';
import type { NodeParts, RoomArchive } from './parts';

export interface Moderation {
  rules: Rules;
  rulesGate: RulesGate;
  pow: ProofOfWork;
  identities: IdentityIssuer;
  hashIp: IpHasher;
  enforcement: Enforcement;
  reports: ReportService;
  /** The operator console's actions. */
  admin: AdminService;
}

/** The services moderation acts through. */
export interface Moderated {
  matchmaker: Matchmaker;
  rooms: RoomService;
  archive: RoomArchive | undefined;
  /** Counts reports, suspensions and bans. */
  metrics: Metrics;
}

export function createModeration(parts: NodeParts, { matchmaker, rooms, archive, metrics }: Moderated): Moderation {
  const { config, backend, io, clock, logger } = parts;
  const rules = loadRules();
  const rulesGate = new RulesGate(rules, backend.store, { enabled: config.rulesGate, minAge: config.minAge });
  const pow = new ProofOfWork(
    { difficulty: config.powDifficulty, ttlMs: config.powTtlMs, secret: config.sessionSecret },
    backend.store,
  );
  const identities = new IdentityIssuer(config.sessionSecret, config.sessionSecretPrevious);
  const hashIp = createIpHasher(config.sessionSecret);
  const enforcement = new Enforcement(
    backend.moderationStore,
    clock,
    createEnforcer({ io, matchmaker, rooms, logger }),
    { markMs: config.banAddressMarkMs, onError: (err) => logger.debug({ err }, 'could not reload bans; the last copy stays in force') },
  );
  const reports = new ReportService(
    {
      store: backend.moderationStore,
      clock,
      newId: () => nanoid(),
      evidence: createEvidenceSource({
        match: backend.store,
        rooms: backend.roomsStore,
        contacts: backend.contactsStore,
        reportWindowMs: config.reportWindowMs,
        dmRetentionMs: config.dmRetentionDays * 86_400_000,
      }),
      addressOf: async (userId) => {
        const [socket] = await io.in(userChannel(userId)).fetchSockets();
        return socket?.data.ipHash ?? null;
      },
      spendAddress: (ipHash) => spend(backend.limits.reportAddress, ipHash),
      afterReport: async (reporterId, target) => {
        if (target.kind === 'chat') await matchmaker.block(reporterId).catch(() => undefined);
      },
      onReported: (report) => metrics.reported(report.kind),
      onSuspended: (userId) => {
        metrics.suspended();
        enforcement.noteSuspended(userId);
      },
      onUnsuspended: (userId) => enforcement.noteUnsuspended(userId),
      onError: (err) => logger.debug({ err }, 'could not record an identity standing'),
    },
    config,
  );
  const admin = new AdminService({
    store: backend.moderationStore,
    clock,
    newId: () => nanoid(),
    enforcement,
    onBanned: (ban) => metrics.banned(ban.kind),
    policy: config,
    deleteRoomMessage: (code, seq) => rooms.edits.removeMessage(code, seq),
    roomHistory: (code, before, limit) => rooms.history(code, before, limit, 'operator'),
    rooms: {
      listAll: () => rooms.listAll(),
      info: (code) => rooms.info(code),
      remove: async (code) => {
        if (!(await rooms.remove(code))) return false;
        // With PostgreSQL the room's archived history goes too.
        await archive?.remove(code);
        return true;
      },
    },
  });
  return { rules, rulesGate, pow, identities, hashIp, enforcement, reports, admin };
}
