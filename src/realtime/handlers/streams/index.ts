/** What every kind of stream shares: recovery by seq. */
import { sync } from './sync';

export const STREAM_HANDLERS = { sync } as const;
