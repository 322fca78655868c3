/**
 * A network quality hint for a call from WebRTC statistics, without the DOM:
 * `statsSample` reads what matters from one getStats() report (packets
 * received and lost by the inbound streams, the selected candidate pair's
 * round trip, the frames decoded, the local candidate's type), and
 * `callQuality` compares two samples a few seconds apart: the share of
 * packets lost in between and the round trip give good, fair or poor.
 */

export type CallQuality = 'good' | 'fair' | 'poor';

/** One stats entry as RTCStatsReport holds it (only the fields read here). */
export interface StatsEntry {
  id: string;
  type: string;
  kind?: string;
  packetsReceived?: number;
  packetsLost?: number;
  framesDecoded?: number;
  currentRoundTripTime?: number;
  nominated?: boolean;
  selected?: boolean;
  state?: string;
  localCandidateId?: string;
  candidateType?: string;
  selectedCandidatePairId?: string;
}

export interface StatsSample {
  /** Inbound audio and video together. */
  packetsReceived: number;
  packetsLost: number;
  videoFramesDecoded: number;
  audioPacketsReceived: number;
  /** The selected candidate pair's round trip, in ms (undefined before one is measured). */
  rttMs?: number;
  /** The selected pair's local candidate type: host, srflx, prflx or relay. */
  localCandidateType?: string;
}

/** Loss and round trip at or under these are good; over the second pair, poor; between, fair. */
export const QUALITY_LIMITS = { goodLoss: 0.02, goodRttMs: 250, poorLoss: 0.08, poorRttMs: 600 } as const;

/** Reads a sample from a getStats() report (a Map-like of entries, or the entries themselves). */
export function statsSample(report: Iterable<StatsEntry> | { values(): Iterable<StatsEntry> }): StatsSample {
  const entries = [...('values' in report && typeof report.values === 'function' ? report.values() : (report as Iterable<StatsEntry>))];
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const sample: StatsSample = { packetsReceived: 0, packetsLost: 0, videoFramesDecoded: 0, audioPacketsReceived: 0 };
  let pair: StatsEntry | undefined;
  for (const entry of entries) {
    if (entry.type === 'inbound-rtp') {
      sample.packetsReceived += entry.packetsReceived ?? 0;
      sample.packetsLost += Math.max(0, entry.packetsLost ?? 0);
      if (entry.kind === 'video') sample.videoFramesDecoded += entry.framesDecoded ?? 0;
      if (entry.kind === 'audio') sample.audioPacketsReceived += entry.packetsReceived ?? 0;
    }
    if (entry.type === 'transport' && entry.selectedCandidatePairId) pair = byId.get(entry.selectedCandidatePairId) ?? pair;
  }
  pair ??= entries.find((entry) => entry.type === 'candidate-pair' && (entry.selected || (entry.nominated && entry.state === 'succeeded')));
  if (pair?.currentRoundTripTime !== undefined) sample.rttMs = Math.round(pair.currentRoundTripTime * 1000);
  const local = pair?.localCandidateId ? byId.get(pair.localCandidateId) : undefined;
  if (local?.candidateType) sample.localCandidateType = local.candidateType;
  return sample;
}

/** Good, fair or poor from two samples (earlier first); undefined while nothing was received in between. */
export function callQuality(before: StatsSample, after: StatsSample): CallQuality | undefined {
  const received = after.packetsReceived - before.packetsReceived;
  const lost = Math.max(0, after.packetsLost - before.packetsLost);
  if (received <= 0) return undefined;
  const loss = lost / (received + lost);
  const rtt = after.rttMs ?? 0;
  if (loss > QUALITY_LIMITS.poorLoss || rtt > QUALITY_LIMITS.poorRttMs) return 'poor';
  if (loss > QUALITY_LIMITS.goodLoss || rtt > QUALITY_LIMITS.goodRttMs) return 'fair';
  return 'good';
}
