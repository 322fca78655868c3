/**
 * The shapes the report is made of: all scenario results of a run, one row of
 * the targets table, and how a section embeds a chart. Types only, so
 * report.ts and the report-*.ts sections import them without importing each
 * other.
 */
import type { AdapterFanInResult } from '../scenarios/adapter-fan-in';
import type { CapacityResult } from '../scenarios/capacity';
import type { ConnectionsResult } from '../scenarios/connections';
import type { DeepPoolResult } from '../scenarios/deep-pool';
import type { DmResult } from '../scenarios/dm';
import type { HistoryResult } from '../scenarios/history';
import type { ManyIdleResult } from '../scenarios/many-idle';
import type { PairBurstResult } from '../scenarios/pair-burst';
import type { PhoneLoadResult } from '../scenarios/phone-load';
import type { CallSetupResult } from '../scenarios/call-setup';
import type { PoolScalingResult } from '../scenarios/pool-scaling';
import type { RedisClusterResult } from '../scenarios/redis-cluster';
import type { RelayResult } from '../scenarios/relay';
import type { RoomFanoutResult } from '../scenarios/room-fanout';
import type { ShardSpreadResult } from '../scenarios/shard-spread';
import type { SoakResult } from '../scenarios/soak';
import type { ProfileSummary } from './profile';

export interface Results {
  command: string;
  mode: string;
  startedAt: string;
  durationS: number;
  machine: { cpus: number; cpuModel: string; node: string; redis: string; memGiB: number };
  pairBurst?: PairBurstResult;
  poolScaling?: PoolScalingResult;
  deepPool?: DeepPoolResult;
  relay?: RelayResult;
  connections?: ConnectionsResult;
  roomFanout?: RoomFanoutResult;
  history?: HistoryResult;
  dm?: DmResult;
  shardSpread?: ShardSpreadResult;
  adapterFanIn?: AdapterFanInResult;
  redisCluster?: RedisClusterResult;
  capacity?: CapacityResult;
  soak?: SoakResult;
  phoneLoad?: PhoneLoadResult;
  callSetup?: CallSetupResult;
  manyIdle?: ManyIdleResult;
  profiles?: ProfileSummary[];
}

export interface TargetRow {
  scenario: string;
  target: string;
  measured: string;
  met: boolean | null;
}

/** Writes `svg` as the chart file `name` and returns the markdown that shows it. */
export type Chart = (name: string, svg: string) => string;
