/** What every scenario receives from the CLI. */
import type { ProcessGroup } from '../../testkit/processes';
import type { Progress } from './progress';

export type Mode = 'full' | 'quick' | 'smoke';

export interface BenchContext {
  group: ProcessGroup;
  progress: Progress;
  mode: Mode;
  /** Seconds of each timed load phase (relay). */
  seconds: number;
  /** Folder where node CPU profiles go; unset: no profiling. */
  cpuProfDir?: string;
}
