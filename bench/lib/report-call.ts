/** The call-setup part of the report: summary rows and section. */
import type { CallSetupResult } from '../scenarios/call-setup';
import { ms, table } from './markdown';
import type { TargetRow } from './report-types';

export function callSetupTargets(r: CallSetupResult): TargetRow[] {
  return [
    {
      scenario: 'call-setup',
      target: `matched → first remote video frame p99 ≤ ${r.targetP99Ms / 1000} s (through TURN, 2 nodes)`,
      measured: `p50 ${ms(r.firstFrameMs.p50)}, p99 ${ms(r.firstFrameMs.p99)}; call-signal round trip across nodes p50 ${ms(r.signalRttMs.p50)}, p99 ${ms(r.signalRttMs.p99)}`,
      met: Number.isFinite(r.firstFrameMs.p99) && r.firstFrameMs.p99 <= r.targetP99Ms,
    },
  ];
}

export function callSetupSection(r: CallSetupResult): string[] {
  return [
    '## call-setup',
    '',
    `${r.pairs} pairs of headless Chromium pages (fake camera and microphone), one page of each pair on each of 2 nodes sharing Redis, ` +
      'both choosing video, every connection forced through coturn on loopback (`?ice=relay`). Per side: from `matched` (the page enters ' +
      'the chat) to the first frame of the stranger\'s video (`loadeddata`), read in the page; it includes opening the peer ' +
      'connection, the offer and answer through both nodes, the TURN allocations and ICE, DTLS and the first decoded frame. ' +
      `Signalling: two clients in a video chat across the nodes bounce \`call-signal\`, ${r.signalRttMs.count} round trips, timed at the sender.`,
    '',
    table(
      ['measure', 'count', 'p50', 'p95', 'p99', 'max'],
      [
        ['matched → first remote frame', r.firstFrameMs.count, ms(r.firstFrameMs.p50), ms(r.firstFrameMs.p95), ms(r.firstFrameMs.p99), ms(r.firstFrameMs.max)],
        ['call-signal round trip across nodes', r.signalRttMs.count, ms(r.signalRttMs.p50), ms(r.signalRttMs.p95), ms(r.signalRttMs.p99), ms(r.signalRttMs.max)],
      ],
    ),
    '',
    `Samples (first frame, ms): ${r.samples.join(', ')}.`,
    '',
  ];
}
