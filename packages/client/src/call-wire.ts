/**
 * The wire shapes of a video chat (see docs/protocol.md, "Video chats"):
 * what `matched` and `resumed` carry for one, the signalling relayed between
 * the two people (`call-signal`), what each tells the other about their
 * camera and microphone (`call-state`), and fresh TURN credentials
 * (`call-credentials`).
 */

/** How a search meets people: by text only, or by video (video seekers meet only video seekers). */
export type ChatMode = 'text' | 'video';

/** One STUN or TURN server, as RTCPeerConnection takes it (TURN with its time-limited username and credential). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** What a video chat's `matched` (and `resumed`) carries: the ICE servers and whether this side makes the offer. */
export interface CallInfo {
  iceServers: IceServer[];
  /** Exactly one side of the chat is the initiator. */
  initiator: boolean;
}

/** What `matched` and `resumed` add for a chat's mode; `call` only in a video chat. */
export interface ChatModeFields {
  mode?: ChatMode;
  call?: CallInfo;
}

export type CallSignalKind = 'offer' | 'answer' | 'ice' | 'restart' | 'end';

/** An ICE candidate as RTCIceCandidate.toJSON() gives it. */
export interface IceCandidate {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** `call-signal` from a client: an offer or answer (`sdp`), a candidate, an ICE restart, or `end` (the chat goes on as text). */
export interface CallSignalPayload {
  kind: CallSignalKind;
  sdp?: string;
  candidate?: IceCandidate;
}

/** `call-signal` as the partner receives it. */
export interface CallSignalEvent extends CallSignalPayload {
  roomId: string;
}

/** `call-state` from a client: whether its camera and microphone are on. */
export interface CallStatePayload {
  camera: boolean;
  microphone: boolean;
}

/** `call-state` as received: the partner's camera and microphone, or the call's end (`ended`, `by` whom). */
export interface CallStateEvent extends CallStatePayload {
  roomId: string;
  ended?: boolean;
  by?: 'you' | 'partner';
}

/** The counts' figure for video seekers (also counted in `waiting`). */
export interface VideoCounts {
  waitingVideo?: number;
}
