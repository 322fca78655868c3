/** A video chat's peer connection lifecycle (CallSession) over a fake RTCPeerConnection, and the quality hint from stats. */
import { CallSession, credentialsExpireAt, type PeerConnectionLike, type TrackLike } from '../../packages/client/src/call';
import { callQuality, statsSample } from '../../packages/client/src/call-quality';
import type { CallSignalPayload, CallStatePayload, IceCandidate } from '../../src/protocol/call';

class FakePeer implements PeerConnectionLike {
  iceConnectionState = 'new';
  signalingState = 'stable';
  remoteDescription: { type: 'offer' | 'answer'; sdp?: string } | null = null;
  localDescription: { type: 'offer' | 'answer'; sdp?: string } | null = null;
  onicecandidate: PeerConnectionLike['onicecandidate'] = null;
  ontrack: PeerConnectionLike['ontrack'] = null;
  oniceconnectionstatechange: (() => void) | null = null;
  tracks: TrackLike[] = [];
  candidates: IceCandidate[] = [];
  offers: { iceRestart?: boolean }[] = [];
  configurations: unknown[] = [];
  closed = false;
  constructor(readonly configuration: unknown) {}
  addTrack(track: TrackLike) {
    this.tracks.push(track);
  }
  async createOffer(options: { iceRestart?: boolean } = {}) {
    this.offers.push(options);
    return { type: 'offer' as const, sdp: `offer-${this.offers.length}${options.iceRestart ? '-restart' : ''}` };
  }
  async createAnswer() {
    return { type: 'answer' as const, sdp: 'answer-1' };
  }
  async setLocalDescription(d: { type: 'offer' | 'answer'; sdp?: string }) {
    this.localDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
  }
  async setRemoteDescription(d: { type: 'offer' | 'answer'; sdp?: string }) {
    this.remoteDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
  }
  async addIceCandidate(c: IceCandidate) {
    this.candidates.push(c);
  }
  setConfiguration(c: unknown) {
    this.configurations.push(c);
  }
  async getStats() {
    return [];
  }
  close() {
    this.closed = true;
  }
  ice(state: string) {
    this.iceConnectionState = state;
    this.oniceconnectionstatechange?.();
  }
}

const track = (kind: string): TrackLike & { readyState: string } => ({
  kind,
  enabled: true,
  readyState: 'live',
  stop() {
    this.readyState = 'ended';
  },
});

function setup(initiator: boolean) {
  const signals: CallSignalPayload[] = [];
  const states: CallStatePayload[] = [];
  const tracks = [track('audio'), track('video')];
  let peer!: FakePeer;
  const session = new CallSession({
    initiator,
    iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' }],
    iceTransportPolicy: 'relay',
    localStream: { getTracks: () => tracks },
    signalling: {
      callSignal: async (s) => void signals.push(s),
      callState: async (s) => void states.push(s),
    },
    createPeer: (configuration) => (peer = new FakePeer(configuration)),
  });
  return { session, peer, signals, states, tracks };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the initiator offers at start with the given ICE servers and transport policy, and tells its camera and microphone', async () => {
  const { session, peer, signals, states } = setup(true);
  session.start();
  await settle();
  expect(peer.configuration).toEqual({ iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' }], iceTransportPolicy: 'relay' });
  expect(peer.tracks.map((t) => t.kind)).toEqual(['audio', 'video']);
  expect(signals).toEqual([{ kind: 'offer', sdp: 'offer-1' }]);
  expect(states).toEqual([{ camera: true, microphone: true }]);
});

test('the other side waits, answers an offer, and holds candidates until the remote description is set', async () => {
  const { session, peer, signals } = setup(false);
  session.start();
  await session.handle({ kind: 'ice', candidate: { candidate: 'c1', sdpMid: '0' } });
  expect(peer.candidates).toEqual([]);
  await session.handle({ kind: 'offer', sdp: 'their-offer' });
  expect(peer.remoteDescription).toEqual({ type: 'offer', sdp: 'their-offer' });
  expect(peer.candidates).toEqual([{ candidate: 'c1', sdpMid: '0' }]);
  expect(signals).toEqual([{ kind: 'answer', sdp: 'answer-1' }]);
  await session.handle({ kind: 'ice', candidate: { candidate: 'c2', sdpMid: '0' } });
  expect(peer.candidates).toHaveLength(2);
});

test('local candidates are relayed as ice signals', async () => {
  const { session, peer, signals } = setup(true);
  session.start();
  await settle();
  peer.onicecandidate?.({ candidate: { toJSON: () => ({ candidate: 'mine', sdpMid: '0' }) } });
  peer.onicecandidate?.({ candidate: null });
  expect(signals.slice(1)).toEqual([{ kind: 'ice', candidate: { candidate: 'mine', sdpMid: '0' } }]);
});

test('after a resume the initiator takes the fresh ICE servers, sends restart and an ICE-restart offer', async () => {
  const { session, peer, signals } = setup(true);
  session.start();
  await settle();
  await session.handle({ kind: 'answer', sdp: 'their-answer' });
  peer.ice('connected');
  expect(session.phase).toBe('connected');
  session.resume({ initiator: true, iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u2', credential: 'c2' }] });
  await settle();
  expect(session.phase).toBe('reconnecting');
  expect(peer.configurations).toEqual([{ iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u2', credential: 'c2' }], iceTransportPolicy: 'relay' }]);
  expect(peer.offers.at(-1)).toEqual({ iceRestart: true });
  expect(signals.slice(-2)).toEqual([{ kind: 'restart' }, { kind: 'offer', sdp: 'offer-2-restart' }]);
  // The path never broke: ICE stays connected, and the restart's answer says the call is back.
  await session.handle({ kind: 'answer', sdp: 'their-second-answer' });
  expect(session.phase).toBe('connected');
});

test('when ICE fails the initiator restarts it and the other side waits for that offer; a restart asked of the initiator gets one too', async () => {
  const answering = setup(false);
  answering.session.start();
  answering.peer.ice('failed');
  expect(answering.session.phase).toBe('reconnecting');
  expect(answering.signals).toEqual([]);
  expect(answering.peer.offers).toEqual([]);
  answering.session.resume({ initiator: false, iceServers: [] });
  expect(answering.signals).toEqual([]);
  await answering.session.handle({ kind: 'restart' });
  await answering.session.handle({ kind: 'offer', sdp: 'their-restart-offer' });
  expect(answering.signals).toEqual([{ kind: 'answer', sdp: 'answer-1' }]);

  const failing = setup(true);
  failing.session.start();
  await settle();
  await failing.session.handle({ kind: 'answer', sdp: 'their-answer' });
  failing.peer.ice('failed');
  await settle();
  expect(failing.signals.slice(-2)).toEqual([{ kind: 'restart' }, { kind: 'offer', sdp: 'offer-2-restart' }]);

  const offering = setup(true);
  offering.session.start();
  await settle();
  await offering.session.handle({ kind: 'restart' });
  expect(offering.peer.offers.at(-1)).toEqual({ iceRestart: true });
  expect(offering.signals.at(-1)).toEqual({ kind: 'offer', sdp: 'offer-2-restart' });
});

test('camera and microphone off turn the tracks off (not stopped) and tell the partner', () => {
  const { session, states, tracks } = setup(true);
  session.setMedia({ camera: false });
  expect(tracks.map((t) => [t.kind, t.enabled, t.readyState])).toEqual([['audio', true, 'live'], ['video', false, 'live']]);
  expect(states.at(-1)).toEqual({ camera: false, microphone: true });
  session.setMedia({ microphone: false, camera: true });
  expect(states.at(-1)).toEqual({ camera: true, microphone: false });
});

test('end switches the chat to text for both and stops every local track; the partner’s end stops this side', async () => {
  const mine = setup(true);
  const phases: string[] = [];
  mine.session.on('phase', (p) => phases.push(p));
  mine.session.end();
  mine.session.end();
  expect(mine.signals.filter((s) => s.kind === 'end')).toHaveLength(1);
  expect(mine.tracks.map((t) => t.readyState)).toEqual(['ended', 'ended']);
  expect(mine.peer.closed).toBe(true);
  expect(phases).toEqual(['ended']);

  const theirs = setup(false);
  await theirs.session.handle({ kind: 'end' });
  expect(theirs.tracks.map((t) => t.readyState)).toEqual(['ended', 'ended']);
  expect(theirs.signals).toEqual([]);
});

describe('TURN credentials that expire', () => {
  const NOW = 1_800_000_000_000;
  const turn = (expiresS: number, user = 'u') => ({ urls: ['turn:127.0.0.1:3478'], username: `${expiresS}:${user}`, credential: 'c' });

  test('their expiry is the earliest TURN username’s; STUN alone has none', () => {
    expect(credentialsExpireAt([{ urls: ['stun:127.0.0.1:3478'] }, turn(2000), turn(1000)])).toBe(1_000_000);
    expect(credentialsExpireAt([{ urls: ['stun:127.0.0.1:3478'] }])).toBeUndefined();
  });

  test('each side takes fresh ones at three quarters of their time; the initiator, a little later, restarts ICE with them', async () => {
    jest.useFakeTimers();
    try {
      const made = (initiator: boolean) => {
        const signals: CallSignalPayload[] = [];
        let peer!: FakePeer;
        const fresh = [turn(NOW / 1000 + 7200, 'fresh')];
        const refreshCredentials = jest.fn(async () => ({ iceServers: fresh }));
        const session = new CallSession({
          initiator,
          iceServers: [turn(NOW / 1000 + 3600)],
          signalling: { callSignal: async (s) => void signals.push(s), callState: async () => undefined },
          createPeer: (c) => (peer = new FakePeer(c)),
          refreshCredentials,
          now: () => NOW,
        });
        return { session, signals, peer, refreshCredentials, fresh };
      };
      const other = made(false);
      const initiator = made(true);
      await jest.advanceTimersByTimeAsync(0.75 * 3600_000 - 1000);
      expect(other.refreshCredentials).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1000);
      expect(other.refreshCredentials).toHaveBeenCalledTimes(1);
      expect(other.peer.configurations).toEqual([{ iceServers: other.fresh }]);
      expect(other.signals).toEqual([]);
      expect(initiator.refreshCredentials).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(0.05 * 3600_000);
      expect(initiator.peer.configurations).toEqual([{ iceServers: initiator.fresh }]);
      expect(initiator.signals).toEqual([{ kind: 'restart' }, { kind: 'offer', sdp: 'offer-1-restart' }]);
      expect(initiator.session.phase).toBe('connecting');
      initiator.session.close();
      other.session.close();
      await jest.advanceTimersByTimeAsync(7200_000);
      expect(initiator.refreshCredentials).toHaveBeenCalledTimes(1);
      expect(other.refreshCredentials).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('the quality hint', () => {
  const report = (received: number, lost: number, rtt?: number) => [
    { id: 'v', type: 'inbound-rtp', kind: 'video', packetsReceived: received, packetsLost: lost, framesDecoded: received / 2 },
    { id: 'a', type: 'inbound-rtp', kind: 'audio', packetsReceived: 100, packetsLost: 0 },
    { id: 't', type: 'transport', selectedCandidatePairId: 'p' },
    { id: 'p', type: 'candidate-pair', localCandidateId: 'l', ...(rtt === undefined ? {} : { currentRoundTripTime: rtt }) },
    { id: 'l', type: 'local-candidate', candidateType: 'relay' },
  ];

  test('a sample reads packets, frames, the round trip and the local candidate type of the selected pair', () => {
    expect(statsSample(report(200, 4, 0.05))).toEqual({
      packetsReceived: 300,
      packetsLost: 4,
      videoFramesDecoded: 100,
      audioPacketsReceived: 100,
      rttMs: 50,
      localCandidateType: 'relay',
    });
    expect(statsSample(new Map(report(2, 0).map((e) => [e.id, e]))).rttMs).toBeUndefined();
  });

  test('little loss and a short round trip are good; some are fair; much is poor; nothing received says nothing', () => {
    const at = (received: number, lost: number, rtt: number) => statsSample(report(received, lost, rtt));
    expect(callQuality(at(100, 0, 0.05), at(1100, 5, 0.05))).toBe('good');
    expect(callQuality(at(100, 0, 0.05), at(1100, 50, 0.05))).toBe('fair');
    expect(callQuality(at(100, 0, 0.05), at(1100, 0, 0.4))).toBe('fair');
    expect(callQuality(at(100, 0, 0.05), at(1100, 200, 0.05))).toBe('poor');
    expect(callQuality(at(100, 0, 0.05), at(1100, 0, 0.9))).toBe('poor');
    expect(callQuality(at(100, 0, 0.05), at(100, 0, 0.05))).toBeUndefined();
  });
});
