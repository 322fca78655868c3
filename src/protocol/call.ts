/**
 * Video chat on the wire: the call's ICE servers, and the WebRTC signalling
 * and camera/microphone state the server relays between the two sides of a
 * video chat. Media never passes through a node: the server only relays
 * these events to the partner, never stores them, and keeps of them only the
 * metadata a report needs (when the call started and ended, who turned what
 * off) — never an SDP, a candidate or media.
 */

/** What kind of chat a search asks for and a chat is: text only, or video (with text beside it). */
export type ChatMode = 'text' | 'video';

/** An ICE server as `RTCPeerConnection`'s `iceServers` takes it (the DOM's `RTCIceServer`). */
export interface IceServer {
  /** `stun:` URLs (STUN_URLS), or `turn:`/`turns:` URLs (TURN_URLS) with `username` and `credential`. */
  urls: string[];
  /** TURN only: `<expiry epoch seconds>:<userId>` (the TURN REST API scheme). */
  username?: string;
  /** TURN only: base64(HMAC-SHA1(TURN_SECRET, username)); valid until the expiry in `username`. */
  credential?: string;
}

/** The call of a video chat, in `matched` and `resumed`. */
export interface CallSetup {
  /** TURN (with this user's time-limited credentials) and STUN servers; STUN only without TURN; empty without either. */
  iceServers: IceServer[];
  /** Exactly one side of the chat is the initiator, the same one for the whole chat: it makes the offer (and the ICE-restart offer after a resume). */
  initiator: boolean;
}

/**
 * `offer`/`answer`: an SDP (`sdp` required, at most 16 KiB); `ice`: one ICE
 * candidate (`candidate` required, its `candidate` line at most 1 KiB; an
 * empty line marks the end of candidates); `restart`: the initiator starts an
 * ICE restart (after a resume), its offer follows; `end`: this side ends the
 * call, the chat goes on as text for both.
 */
export type CallSignalKind = 'offer' | 'answer' | 'ice' | 'restart' | 'end';

/** An ICE candidate as `RTCIceCandidate.toJSON()` gives it (the DOM's `RTCIceCandidateInit`). */
export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** `call-signal` from a client. */
export interface CallSignalPayload {
  kind: CallSignalKind;
  /** With `offer` and `answer` only. */
  sdp?: string;
  /** With `ice` only. */
  candidate?: IceCandidate;
}

/** `call-signal` to the partner: the sender's fields as sent, and the chat. */
export interface CallSignalEvent extends CallSignalPayload {
  roomId: string;
}

/** `call-state` from a client: whether its camera and microphone are on. */
export interface CallStatePayload {
  camera: boolean;
  microphone: boolean;
}

/**
 * `call-state` to a client: the partner's camera and microphone, or, with
 * `ended`, the end of the call (both false), to both sides: `by` says whose
 * `call-signal end` (or whose leaving the chat) ended it, seen from the receiver.
 */
export interface CallStateEvent extends CallStatePayload {
  roomId: string;
  ended?: true;
  by?: 'you' | 'partner';
}
