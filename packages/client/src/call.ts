/**
 * A video chat's peer connection, without any UI: CallSession runs one
 * RTCPeerConnection for the chat through the server's signalling relay.
 *
 * - The initiator (the side whose `matched` says `initiator: true`) makes the
 *   offer; the other side answers. Candidates are relayed as `ice` and held
 *   until the remote description they belong to is set.
 * - After a blip the call restarts itself: `resume(call)` (on `resumed`, with
 *   its fresh ICE servers; the initiator also on `partner-back`) makes the
 *   initiator send `restart` and an ICE-restart offer, which the other side
 *   answers as any offer; the other side meanwhile says it is reconnecting.
 *   The initiator restarts the same way when ICE fails. Only the initiator
 *   ever offers, so the two sides never offer at once.
 * - `setMedia()` turns the camera or microphone track off or on (the track
 *   stays, so nothing is renegotiated) and tells the partner (`call-state`).
 * - `end()` switches the chat to text for both (`call-signal end`); `close()`
 *   only stops this side. Both stop every local track at once.
 * - TURN credentials expire (TURN_TTL_S): with `refreshCredentials`, each side
 *   takes fresh ones when three quarters of their time has passed, and the
 *   initiator, a little later, restarts ICE, so both sides' relays are
 *   allocated again with them and a long call is not cut.
 *
 * The browser's RTCPeerConnection is used unless `createPeer` is given (tests
 * pass a fake); the SDK's types name only what is used here, so it builds
 * without the DOM's.
 */
import { Emitter } from './emitter';
import { callQuality, statsSample, type CallQuality, type StatsSample } from './call-quality';
import type { CallSetup, CallSignalEvent, CallSignalPayload, CallStatePayload, IceCandidate, IceServer } from './wire';

export interface TrackLike {
  kind: string;
  enabled: boolean;
  readonly readyState?: string;
  stop(): void;
}

export interface MediaStreamLike {
  getTracks(): TrackLike[];
}

export interface SessionDescription {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp?: string;
}

/** What CallSession uses of an RTCPeerConnection. */
export interface PeerConnectionLike {
  readonly iceConnectionState: string;
  readonly signalingState: string;
  readonly remoteDescription: SessionDescription | null;
  readonly localDescription: SessionDescription | null;
  onicecandidate: ((event: { candidate: { toJSON(): IceCandidate } | null }) => void) | null;
  ontrack: ((event: { track: TrackLike; streams: readonly MediaStreamLike[] }) => void) | null;
  oniceconnectionstatechange: (() => void) | null;
  addTrack(track: TrackLike, stream: MediaStreamLike): unknown;
  createOffer(options?: { iceRestart?: boolean }): Promise<SessionDescription>;
  createAnswer(): Promise<SessionDescription>;
  setLocalDescription(description: SessionDescription): Promise<void>;
  setRemoteDescription(description: SessionDescription): Promise<void>;
  addIceCandidate(candidate: IceCandidate): Promise<void>;
  setConfiguration(configuration: PeerConfiguration): void;
  getStats(): Promise<Iterable<unknown> | { values(): Iterable<unknown> }>;
  close(): void;
}

export interface PeerConfiguration {
  iceServers: IceServer[];
  /** `relay` sends media through TURN only (tests force it to prove the relay works). */
  iceTransportPolicy?: 'all' | 'relay';
}

/** Where a call's signalling goes: a ParleyClient fits. */
export interface CallSignalling {
  callSignal(signal: CallSignalPayload): Promise<unknown>;
  callState(state: CallStatePayload): Promise<unknown>;
}

/** connecting (first media not through yet), connected, reconnecting (after a blip or an ICE failure), ended. */
export type CallPhase = 'connecting' | 'connected' | 'reconnecting' | 'ended';

export interface CallEvents {
  phase: (phase: CallPhase) => void;
  /** A remote track arrived (its stream, for a <video>). */
  track: (event: { track: TrackLike; stream: MediaStreamLike | undefined }) => void;
  /** A signalling request or a WebRTC step failed (the call goes on, or restarts). */
  problem: (error: unknown) => void;
}

export interface CallOptions extends CallSetup {
  signalling: CallSignalling;
  /** The camera and microphone (the session stops their tracks when it closes). */
  localStream?: MediaStreamLike;
  iceTransportPolicy?: 'all' | 'relay';
  createPeer?: (configuration: PeerConfiguration) => PeerConnectionLike;
  /** Fresh ICE servers before the TURN credentials expire (a ParleyClient's `callCredentials` fits). */
  refreshCredentials?: () => Promise<{ iceServers: IceServer[] }>;
  /** The clock (epoch ms), for tests. */
  now?: () => number;
}

/** When the first of these TURN credentials expires (epoch ms; the username is `<expiry epoch seconds>:<user>`), if any has one. */
export function credentialsExpireAt(iceServers: readonly IceServer[]): number | undefined {
  const expiries = iceServers.map((server) => /^(\d+):/.exec(server.username ?? '')?.[1]).filter((s): s is string => s !== undefined);
  return expiries.length ? Math.min(...expiries.map(Number)) * 1000 : undefined;
}

function browserPeer(configuration: PeerConfiguration): PeerConnectionLike {
  const Peer = (globalThis as unknown as { RTCPeerConnection?: new (c: PeerConfiguration) => PeerConnectionLike }).RTCPeerConnection;
  if (!Peer) throw new Error('RTCPeerConnection is not available here');
  return new Peer(configuration);
}

export class CallSession extends Emitter<CallEvents> {
  readonly peer: PeerConnectionLike;
  phase: CallPhase = 'connecting';
  /** The camera and microphone as this side has them (sent to the partner as `call-state`). */
  media = { camera: true, microphone: true };
  private initiator: boolean;
  private readonly signalling: CallSignalling;
  private readonly localStream: MediaStreamLike | undefined;
  private readonly iceTransportPolicy: 'all' | 'relay' | undefined;
  /** Candidates that came before the remote description they belong to. */
  private heldCandidates: IceCandidate[] = [];
  private offering = false;
  /** A restart asked for while an offer was being made: one more offer follows. */
  private restartAgain = false;
  private lastSample: StatsSample | undefined;
  private readonly refreshCredentials: CallOptions['refreshCredentials'];
  private readonly now: () => number;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: CallOptions) {
    super();
    this.initiator = options.initiator;
    this.signalling = options.signalling;
    this.localStream = options.localStream;
    this.iceTransportPolicy = options.iceTransportPolicy;
    this.refreshCredentials = options.refreshCredentials;
    this.now = options.now ?? Date.now;
    this.peer = (options.createPeer ?? browserPeer)(this.configuration(options.iceServers));
    const { peer } = this;
    for (const track of this.localStream?.getTracks() ?? []) {
      if (track.kind === 'video' || track.kind === 'audio') this.media[track.kind === 'video' ? 'camera' : 'microphone'] = track.enabled;
      peer.addTrack(track, this.localStream!);
    }
    peer.onicecandidate = ({ candidate }) => {
      if (candidate) this.send({ kind: 'ice', candidate: candidate.toJSON() });
    };
    peer.ontrack = ({ track, streams }) => this.emit('track', { track, stream: streams[0] });
    peer.oniceconnectionstatechange = () => this.iceChanged(peer.iceConnectionState);
    this.scheduleRefresh(options.iceServers);
  }

  /** Starts the call: the initiator makes its offer, the other side waits for it. Sends this side's camera and microphone. */
  start(): void {
    this.sendState();
    if (this.initiator) void this.offer(false);
  }

  /** A `call-signal` from the partner. */
  async handle(signal: CallSignalEvent | CallSignalPayload): Promise<void> {
    if (this.phase === 'ended') return;
    try {
      switch (signal.kind) {
        case 'offer':
          if (!signal.sdp) return;
          await this.peer.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
          await this.flushCandidates();
          await this.peer.setLocalDescription(await this.peer.createAnswer());
          this.send({ kind: 'answer', sdp: this.localSdp() });
          this.iceChanged(this.peer.iceConnectionState);
          return;
        case 'answer':
          if (!signal.sdp || this.peer.signalingState !== 'have-local-offer') return;
          await this.peer.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
          await this.flushCandidates();
          // An ICE restart over a path that never broke stays connected, without a state change to say so.
          this.iceChanged(this.peer.iceConnectionState);
          return;
        case 'ice':
          if (!signal.candidate) return;
          if (!this.peer.remoteDescription) this.heldCandidates.push(signal.candidate);
          else await this.peer.addIceCandidate(signal.candidate);
          return;
        case 'restart':
          // A restart over a path that still works (fresh credentials) is no reconnection to show.
          if (!['connected', 'completed'].includes(this.peer.iceConnectionState)) this.setPhase('reconnecting');
          if (this.initiator) await this.offer(true);
          return;
        case 'end':
          this.close();
          return;
      }
    } catch (error) {
      this.emit('problem', error);
    }
  }

  /**
   * The chat was resumed after a blip: fresh ICE servers (`call` of `resumed`,
   * or `callCredentials()`), then an ICE restart (the initiator offers; the
   * other side waits for that offer).
   */
  resume(call: CallSetup): void {
    if (this.phase === 'ended') return;
    this.initiator = call.initiator;
    this.peer.setConfiguration(this.configuration(call.iceServers));
    this.scheduleRefresh(call.iceServers);
    this.restart();
  }

  /** Restarts ICE now (the network changed or ICE failed): the initiator sends `restart` and offers; the other side waits for it. */
  restart(): void {
    if (this.phase === 'ended') return;
    this.setPhase('reconnecting');
    if (!this.initiator) return;
    this.send({ kind: 'restart' });
    void this.offer(true);
  }

  /** Whether this side makes the offers. */
  get isInitiator(): boolean {
    return this.initiator;
  }

  /** Turns the camera or microphone off or on for the partner, and tells them. */
  setMedia(media: Partial<CallStatePayload>): void {
    this.media = { ...this.media, ...media };
    for (const track of this.localStream?.getTracks() ?? []) {
      if (track.kind === 'video') track.enabled = this.media.camera;
      if (track.kind === 'audio') track.enabled = this.media.microphone;
    }
    this.sendState();
  }

  /** Ends the call for both sides (the chat goes on as text), and stops this side. */
  end(): void {
    if (this.phase === 'ended') return;
    this.send({ kind: 'end' });
    this.close();
  }

  /** Stops this side at once: every local track, the connection. Safe to call twice. */
  close(): void {
    if (this.phase === 'ended') return;
    clearTimeout(this.refreshTimer);
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    this.peer.onicecandidate = null;
    this.peer.ontrack = null;
    this.peer.oniceconnectionstatechange = null;
    this.peer.close();
    this.setPhase('ended');
  }

  /** The connection's figures now (see call-quality.ts). */
  async sample(): Promise<StatsSample> {
    return statsSample((await this.peer.getStats()) as Parameters<typeof statsSample>[0]);
  }

  /** Good, fair or poor since the last call of quality() (undefined the first time, and while nothing arrives). */
  async quality(): Promise<CallQuality | undefined> {
    const now = await this.sample();
    const before = this.lastSample;
    this.lastSample = now;
    return before ? callQuality(before, now) : undefined;
  }

  /** Takes fresh credentials at 3/4 of the current ones' time (the initiator at 4/5, then restarts ICE with them). */
  private scheduleRefresh(iceServers: IceServer[]): void {
    clearTimeout(this.refreshTimer);
    const expiresAt = credentialsExpireAt(iceServers);
    if (!this.refreshCredentials || expiresAt === undefined) return;
    const left = expiresAt - this.now();
    this.refreshTimer = setTimeout(() => void this.refresh(), Math.max(1000, left * (this.initiator ? 0.8 : 0.75)));
  }

  private async refresh(): Promise<void> {
    try {
      const { iceServers } = await this.refreshCredentials!();
      if (this.phase === 'ended') return;
      this.peer.setConfiguration(this.configuration(iceServers));
      this.scheduleRefresh(iceServers);
      // The media keeps flowing over the old relays meanwhile: no "reconnecting" for this one.
      if (this.initiator) {
        this.send({ kind: 'restart' });
        await this.offer(true);
      }
    } catch (error) {
      this.emit('problem', error);
    }
  }

  private configuration(iceServers: IceServer[]): PeerConfiguration {
    return { iceServers, ...(this.iceTransportPolicy ? { iceTransportPolicy: this.iceTransportPolicy } : {}) };
  }

  private async offer(iceRestart: boolean): Promise<void> {
    if (this.offering) {
      this.restartAgain ||= iceRestart;
      return;
    }
    this.offering = true;
    try {
      const offer = await this.peer.createOffer(iceRestart ? { iceRestart: true } : {});
      if (this.phase === 'ended') return;
      await this.peer.setLocalDescription(offer);
      this.send({ kind: 'offer', sdp: this.localSdp(offer) });
    } catch (error) {
      this.emit('problem', error);
    } finally {
      this.offering = false;
    }
    if (this.restartAgain && this.phase !== 'ended') {
      this.restartAgain = false;
      await this.offer(true);
    }
  }

  private localSdp(fallback?: SessionDescription): string {
    return this.peer.localDescription?.sdp ?? fallback?.sdp ?? '';
  }

  private async flushCandidates(): Promise<void> {
    const held = this.heldCandidates;
    this.heldCandidates = [];
    for (const candidate of held) await this.peer.addIceCandidate(candidate).catch((error: unknown) => this.emit('problem', error));
  }

  private iceChanged(state: string): void {
    if (this.phase === 'ended') return;
    if (state === 'connected' || state === 'completed') this.setPhase('connected');
    else if (state === 'disconnected') this.setPhase('reconnecting');
    else if (state === 'failed') this.restart();
  }

  private setPhase(phase: CallPhase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.emit('phase', phase);
  }

  private sendState(): void {
    this.signalling.callState(this.media).catch((error: unknown) => this.emit('problem', error));
  }

  private send(signal: CallSignalPayload): void {
    this.signalling.callSignal(signal).catch((error: unknown) => this.emit('problem', error));
  }
}
