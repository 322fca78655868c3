/**
 * Everything the one-to-one chat keeps, as one backend holds it: MemoryStore
 * and RedisStore each implement all five contracts on one data set. Callers
 * take the contract they need; wiring hands the whole store around.
 */
import type { CallStore } from './call-store';
import type { ChatStore } from './chat-store';
import type { MatchStore } from './match-store';
import type { NodeRegistry } from './node-registry';
import type { SafetyMarks } from './safety-marks';

export type OneToOneStore = MatchStore & ChatStore & CallStore & NodeRegistry & SafetyMarks;
