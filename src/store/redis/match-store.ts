/**
 * The cluster store: state in Redis, every check-then-act a Lua script
 * (./lua/match, chat, nodes, safety). Each contract is its own class over
 * one shared state (./match-state); this class composes them into the
 * one-to-one store.
 */
import { RedisCallStore } from './call-store';
import { RedisChatStore } from './chat-store';
import type { Keys } from './keys';
import { RedisMatchState, type CommandObserver } from './match-state';
import { RedisMatchStore } from './matching';
import { RedisNodeRegistry } from './node-registry';
import { RedisSafetyMarks } from './safety-marks';
import type { RedisClient } from './scripts';
import type { OneToOneStore } from '../one-to-one-store';

export type { CommandObserver } from './match-state';

export class RedisStore implements OneToOneStore {
  readonly kind = 'redis' as const;
  private readonly match: RedisMatchStore;
  private readonly chat: RedisChatStore;
  private readonly call: RedisCallStore;
  private readonly registry: RedisNodeRegistry;
  private readonly marks: RedisSafetyMarks;

  constructor(
    redis: RedisClient,
    keys: Keys,
    observe?: CommandObserver,
    /** How long an ended chat's log is kept as report evidence (REPORT_WINDOW_MS); 0 deletes it with the chat. */
    evidenceMs = 0,
  ) {
    const state = new RedisMatchState(redis, keys, observe, evidenceMs);
    this.match = new RedisMatchStore(state);
    this.chat = new RedisChatStore(state);
    this.call = new RedisCallStore(state);
    this.registry = new RedisNodeRegistry(state);
    this.marks = new RedisSafetyMarks(state);
  }

  enqueue(...a: Parameters<RedisMatchStore['enqueue']>) { return this.match.enqueue(...a); }
  activate(...a: Parameters<RedisMatchStore['activate']>) { return this.match.activate(...a); }
  candidates(...a: Parameters<RedisMatchStore['candidates']>) { return this.match.candidates(...a); }
  commitPair(...a: Parameters<RedisMatchStore['commitPair']>) { return this.match.commitPair(...a); }
  leave(...a: Parameters<RedisMatchStore['leave']>) { return this.match.leave(...a); }
  connect(...a: Parameters<RedisMatchStore['connect']>) { return this.match.connect(...a); }
  disconnect(...a: Parameters<RedisMatchStore['disconnect']>) { return this.match.disconnect(...a); }
  expireAway(...a: Parameters<RedisMatchStore['expireAway']>) { return this.match.expireAway(...a); }
  getUser(...a: Parameters<RedisMatchStore['getUser']>) { return this.match.getUser(...a); }
  counts() { return this.match.counts(); }
  waitingByLanguage() { return this.match.waitingByLanguage(); }
  /** On Redis Cluster: every master answers (a master that stopped counts until its replica takes over). */
  ping() { return this.match.ping(); }
  epoch(...a: Parameters<RedisMatchStore['epoch']>) { return this.match.epoch(...a); }

  relay(...a: Parameters<RedisChatStore['relay']>) { return this.chat.relay(...a); }
  chatPeer(...a: Parameters<RedisChatStore['chatPeer']>) { return this.chat.chatPeer(...a); }
  chatLog(...a: Parameters<RedisChatStore['chatLog']>) { return this.chat.chatLog(...a); }

  chatCall(...a: Parameters<RedisCallStore['chatCall']>) { return this.call.chatCall(...a); }
  endCall(...a: Parameters<RedisCallStore['endCall']>) { return this.call.endCall(...a); }
  noteCall(...a: Parameters<RedisCallStore['noteCall']>) { return this.call.noteCall(...a); }
  callNotes(...a: Parameters<RedisCallStore['callNotes']>) { return this.call.callNotes(...a); }

  reportNode(...a: Parameters<RedisNodeRegistry['reportNode']>) { return this.registry.reportNode(...a); }
  removeNode(...a: Parameters<RedisNodeRegistry['removeNode']>) { return this.registry.removeNode(...a); }
  nodes(...a: Parameters<RedisNodeRegistry['nodes']>) { return this.registry.nodes(...a); }
  deadNodes(...a: Parameters<RedisNodeRegistry['deadNodes']>) { return this.registry.deadNodes(...a); }
  sweepNode(...a: Parameters<RedisNodeRegistry['sweepNode']>) { return this.registry.sweepNode(...a); }
  admitIp(...a: Parameters<RedisNodeRegistry['admitIp']>) { return this.registry.admitIp(...a); }
  releaseIp(...a: Parameters<RedisNodeRegistry['releaseIp']>) { return this.registry.releaseIp(...a); }

  block(...a: Parameters<RedisSafetyMarks['block']>) { return this.marks.block(...a); }
  blockUser(...a: Parameters<RedisSafetyMarks['blockUser']>) { return this.marks.blockUser(...a); }
  blockedUntil(...a: Parameters<RedisSafetyMarks['blockedUntil']>) { return this.marks.blockedUntil(...a); }
  acceptRules(...a: Parameters<RedisSafetyMarks['acceptRules']>) { return this.marks.acceptRules(...a); }
  acceptedRules(...a: Parameters<RedisSafetyMarks['acceptedRules']>) { return this.marks.acceptedRules(...a); }
  claimOnce(...a: Parameters<RedisSafetyMarks['claimOnce']>) { return this.marks.claimOnce(...a); }
}
