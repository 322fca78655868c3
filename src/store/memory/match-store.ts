/**
 * The single-node store: the same contracts as RedisStore (match store,
 * chat store, call store, node registry, safety marks), each its own class over one
 * shared state held in this process; this class composes them into the
 * one-to-one store. Every method runs to completion without awaiting, so
 * each is atomic, across contracts too.
 */
import type { OneToOneStore } from '../one-to-one-store';
import { MemoryCallStore } from './call-store';
import { MemoryChatStore } from './chat-store';
import { MemoryMatchState } from './match-state';
import { MemoryMatchStore } from './matching';
import { MemoryNodeRegistry } from './node-registry';
import { MemorySafetyMarks } from './safety-marks';

export class MemoryStore implements OneToOneStore {
  readonly kind = 'memory' as const;
  private readonly state: MemoryMatchState;
  private readonly match: MemoryMatchStore;
  private readonly chat: MemoryChatStore;
  private readonly call: MemoryCallStore;
  private readonly registry: MemoryNodeRegistry;
  private readonly marks: MemorySafetyMarks;

  /** `evidenceMs`: how long an ended chat's log is kept as report evidence (REPORT_WINDOW_MS); 0 drops it with the chat. */
  constructor(evidenceMs = 0) {
    this.state = new MemoryMatchState(evidenceMs);
    this.match = new MemoryMatchStore(this.state);
    this.chat = new MemoryChatStore(this.state);
    this.call = new MemoryCallStore(this.state);
    this.registry = new MemoryNodeRegistry(this.state);
    this.marks = new MemorySafetyMarks(this.state);
  }

  enqueue(...a: Parameters<MemoryMatchStore['enqueue']>) { return this.match.enqueue(...a); }
  activate(...a: Parameters<MemoryMatchStore['activate']>) { return this.match.activate(...a); }
  candidates(...a: Parameters<MemoryMatchStore['candidates']>) { return this.match.candidates(...a); }
  commitPair(...a: Parameters<MemoryMatchStore['commitPair']>) { return this.match.commitPair(...a); }
  leave(...a: Parameters<MemoryMatchStore['leave']>) { return this.match.leave(...a); }
  connect(...a: Parameters<MemoryMatchStore['connect']>) { return this.match.connect(...a); }
  disconnect(...a: Parameters<MemoryMatchStore['disconnect']>) { return this.match.disconnect(...a); }
  expireAway(...a: Parameters<MemoryMatchStore['expireAway']>) { return this.match.expireAway(...a); }
  getUser(...a: Parameters<MemoryMatchStore['getUser']>) { return this.match.getUser(...a); }
  counts() { return this.match.counts(); }
  waitingByLanguage() { return this.match.waitingByLanguage(); }
  ping() { return this.match.ping(); }
  epoch(...a: Parameters<MemoryMatchStore['epoch']>) { return this.match.epoch(...a); }

  relay(...a: Parameters<MemoryChatStore['relay']>) { return this.chat.relay(...a); }
  chatPeer(...a: Parameters<MemoryChatStore['chatPeer']>) { return this.chat.chatPeer(...a); }
  chatLog(...a: Parameters<MemoryChatStore['chatLog']>) { return this.chat.chatLog(...a); }

  chatCall(...a: Parameters<MemoryCallStore['chatCall']>) { return this.call.chatCall(...a); }
  endCall(...a: Parameters<MemoryCallStore['endCall']>) { return this.call.endCall(...a); }
  noteCall(...a: Parameters<MemoryCallStore['noteCall']>) { return this.call.noteCall(...a); }
  callNotes(...a: Parameters<MemoryCallStore['callNotes']>) { return this.call.callNotes(...a); }

  reportNode(...a: Parameters<MemoryNodeRegistry['reportNode']>) { return this.registry.reportNode(...a); }
  removeNode(...a: Parameters<MemoryNodeRegistry['removeNode']>) { return this.registry.removeNode(...a); }
  nodes(...a: Parameters<MemoryNodeRegistry['nodes']>) { return this.registry.nodes(...a); }
  deadNodes(...a: Parameters<MemoryNodeRegistry['deadNodes']>) { return this.registry.deadNodes(...a); }
  sweepNode(...a: Parameters<MemoryNodeRegistry['sweepNode']>) { return this.registry.sweepNode(...a); }
  admitIp(...a: Parameters<MemoryNodeRegistry['admitIp']>) { return this.registry.admitIp(...a); }
  releaseIp(...a: Parameters<MemoryNodeRegistry['releaseIp']>) { return this.registry.releaseIp(...a); }

  block(...a: Parameters<MemorySafetyMarks['block']>) { return this.marks.block(...a); }
  blockUser(...a: Parameters<MemorySafetyMarks['blockUser']>) { return this.marks.blockUser(...a); }
  blockedUntil(...a: Parameters<MemorySafetyMarks['blockedUntil']>) { return this.marks.blockedUntil(...a); }
  acceptRules(...a: Parameters<MemorySafetyMarks['acceptRules']>) { return this.marks.acceptRules(...a); }
  acceptedRules(...a: Parameters<MemorySafetyMarks['acceptedRules']>) { return this.marks.acceptedRules(...a); }
  claimOnce(...a: Parameters<MemorySafetyMarks['claimOnce']>) { return this.marks.claimOnce(...a); }

  /**
   * Forgets what no rule needs any more: idle, disconnected users past their
   * cooldown, expired history and blocks. A long-running single node calls
   * this periodically so memory follows the live population.
   */
  prune(now: number, rematchWindowMs: number): void {
    this.state.prune(now, rematchWindowMs);
    this.chat.prune(now);
    this.marks.prune(now);
  }
}
