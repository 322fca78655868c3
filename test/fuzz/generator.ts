/**
 * A deterministic generator of hostile Socket.IO emits: wrong types, strings
 * near the packet limit, deep nesting, binary attachments, prototype keys,
 * odd numbers, missing or extra arguments and acks, unknown event names —
 * mixed with near-valid and valid payloads so the handlers run too.
 */

import { seededRandom } from '../helpers/random';

export { seededRandom };

export const CLIENT_EVENTS = [
  'find-match',
  'cancel-match',
  'next-match',
  'send-message',
  'typing',
  'leave-room',
  'block',
] as const;
export type ClientEvent = (typeof CLIENT_EVENTS)[number];

/** Names no handler serves (socket.io-client refuses to emit its reserved ones, so they go raw). */
const UNKNOWN_EVENTS = [
  'no-such-event',
  'error',
  'message',
  'matched',
  'session',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'find-match ',
  'FIND-MATCH',
  'find_match',
  'send-message\u0000',
  '',
  ' ',
  '💬',
  'x'.repeat(200),
];

/** Event names the client library will not emit; they are sent as raw packets. */
export const RESERVED_EVENTS = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

const ODD_NUMBERS = [0, -0, 1, -1, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e308, 5e-324, 0.1, 2 ** 53 + 1];
const ODD_STRINGS = [
  '',
  ' ',
  '\t\n\r ',
  '\u00a0\u2028\u2029\ufeff',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  '[object Object]',
  '<script>alert(1)</script>',
  '\u0000\u0001\u001f',
  '\ud800',
  '\udc00x',
  '😀👍🏽👨‍👩‍👧',
  'İstanbul',
  'ß',
  'مرحبا',
  '\u202eevil',
  '../../etc/passwd',
  '%s%n%d',
  '${process.exit()}',
  'a'.repeat(30),
  'a'.repeat(31),
  'a'.repeat(64),
  'a'.repeat(65),
  ' music ',
  'MUSIC',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'];
const SCHEMA_KEYS = ['interests', 'text', 'replyTo', 'isTyping'];

export interface FuzzEmit {
  event: string;
  /** Arguments before the ack. */
  args: unknown[];
  /** Whether the emit carries an ack callback. */
  withAck: boolean;
  /** Whether a stray function is passed just before the ack (it reaches the server as null); acked emits only. */
  strayFunction: boolean;
}

export class PayloadGenerator {
  private readonly random: () => number;

  /** `budget`: the largest JSON text of one emit, in bytes (keeps packets under the node's limit). */
  constructor(
    seed: number,
    private readonly budget: number,
  ) {
    this.random = seededRandom(seed);
  }

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** One emit aimed at `event` (or at an unknown name when `event` is null). */
  emit(event: ClientEvent | null): FuzzEmit {
    const name = event ?? this.pick(UNKNOWN_EVENTS);
    const withAck = this.chance(0.75);
    const strayFunction = withAck && this.chance(0.04);
    let args: unknown[];
    const shape = this.random();
    if (event && shape < 0.12) args = [this.validPayload(event)];
    else if (event && shape < 0.45) args = [this.nearValid(event)];
    else if (shape < 0.55) args = [];
    else if (shape < 0.65) args = [this.nearValid(event ?? this.pick(CLIENT_EVENTS)), this.value(2)];
    else args = Array.from({ length: 1 + this.int(3) }, () => this.value(3));
    return this.fit({ event: name, args, withAck, strayFunction });
  }

  /** A payload the protocol accepts. */
  validPayload(event: ClientEvent): object {
    switch (event) {
      case 'find-match':
      case 'next-match':
        return this.chance(0.5) ? {} : { interests: Array.from({ length: this.int(4) }, () => this.pick(['music', 'chess', 'tea', ' Go ', 'x'])) };
      case 'send-message':
        return this.chance(0.7) ? { text: this.pick(['hi', 'hello there', '😀', 'a'.repeat(1000)]) } : { text: 'ok', replyTo: 'abc_DEF-123' };
      case 'typing':
        return { isTyping: this.chance(0.5) };
      default:
        return {};
    }
  }

  /** The right keys with wrong or borderline values, sometimes an extra key. */
  nearValid(event: ClientEvent): unknown {
    const obj: Record<string, unknown> = {};
    const field = (): unknown => (this.chance(0.3) ? this.pick(ODD_STRINGS) : this.value(2));
    switch (event) {
      case 'find-match':
      case 'next-match':
        if (this.chance(0.8)) {
          obj.interests = this.chance(0.6)
            ? Array.from({ length: this.int(13) }, () => (this.chance(0.8) ? this.pick(ODD_STRINGS) : this.value(1)))
            : field();
        }
        break;
      case 'send-message':
        if (this.chance(0.85)) obj.text = this.chance(0.5) ? this.text() : field();
        if (this.chance(0.4)) obj.replyTo = this.chance(0.5) ? this.pick(ODD_STRINGS) : field();
        break;
      case 'typing':
        if (this.chance(0.85)) obj.isTyping = this.chance(0.2) ? this.pick([0, 1, 'true', null, 'false']) : field();
        break;
      default:
        break;
    }
    if (this.chance(0.35)) this.addHostileKey(obj);
    return obj;
  }

  /** Any value, `depth` levels of containers at most (plus the occasional deep chain). */
  value(depth: number): unknown {
    const r = this.random();
    if (r < 0.12) return this.pick(ODD_NUMBERS);
    if (r < 0.18) return this.pick([null, undefined, true, false]);
    if (r < 0.34) return this.chance(0.5) ? this.pick(ODD_STRINGS) : this.text();
    if (r < 0.42) return this.binary();
    if (r < 0.47) return this.deep();
    if (r < 0.5) return this.pick([new Date(0), new Map([[1, 2]]), new Set([1]), /re/g]);
    if (depth <= 0) return this.int(1000);
    if (r < 0.72) return Array.from({ length: this.int(6) }, () => this.value(depth - 1));
    const obj: Record<string, unknown> = {};
    for (let i = this.int(5); i > 0; i--) {
      const key = this.chance(0.3) ? this.pick(SCHEMA_KEYS) : this.chance(0.3) ? this.pick(PROTO_KEYS) : this.pick(ODD_STRINGS);
      define(obj, key, this.value(depth - 1));
    }
    if (this.chance(0.3)) this.addHostileKey(obj);
    return obj;
  }

  /** A string of random size, sometimes close to the packet limit. */
  text(): string {
    const r = this.random();
    const unit = this.pick(['x', ' ', 'é', '😀', '\u0000', '"', '\\', 'ab cd ']);
    let length: number;
    if (r < 0.6) length = this.int(40);
    else if (r < 0.85) length = 900 + this.int(300);
    else length = Math.floor(this.budget * (0.5 + this.random() * 0.45));
    return unit.repeat(Math.max(0, Math.ceil(length / Math.max(1, jsonBytes(unit) - 2))));
  }

  private binary(): unknown {
    const size = this.chance(0.8) ? this.int(64) : Math.floor(this.budget * (0.5 + this.random() * 0.4));
    const bytes = Buffer.alloc(size, this.int(256));
    const kind = this.int(4);
    if (kind === 0) return bytes;
    if (kind === 1) return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    if (kind === 2) return new Uint8Array(bytes);
    return { text: bytes, interests: [bytes] };
  }

  /** A chain of nested arrays or objects, hundreds of levels deep. */
  private deep(): unknown {
    const levels = 50 + this.int(700);
    let v: unknown = this.chance(0.5) ? 'leaf' : this.pick(ODD_NUMBERS);
    const asArray = this.chance(0.5);
    for (let i = 0; i < levels; i++) v = asArray ? [v] : { [this.chance(0.2) ? '__proto__' : 'a']: v };
    return v;
  }

  /** Adds a key the schemas must refuse: a prototype key as an own property, or an unknown one. */
  private addHostileKey(obj: Record<string, unknown>): void {
    const key = this.pick([...PROTO_KEYS, 'roomId', 'userId', 'partnerId', 'ok', 'x']);
    define(obj, key, this.value(1));
  }

  /** Shrinks an emit until its packet fits the budget and the parser's attachment limit. */
  private fit(emit: FuzzEmit): FuzzEmit {
    while (packetBytes(emit) > this.budget || attachmentCount(emit) > MAX_ATTACHMENTS) {
      emit.args = emit.args.length > 1 ? emit.args.slice(0, -1) : [this.int(10)];
    }
    return emit;
  }
}

/** Sets an own property, even `__proto__` (plain assignment would change the prototype). */
function define(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

const isBinary = (v: unknown): boolean => ArrayBuffer.isView(v) || v instanceof ArrayBuffer;

/** socket.io-parser refuses (and the node closes) a packet with more binary attachments than this. */
export const MAX_ATTACHMENTS = 10;

/** The largest frame the emit produces: its JSON text, or its biggest binary attachment. */
export function packetBytes(emit: FuzzEmit): number {
  return measure(emit).bytes;
}

export function attachmentCount(emit: FuzzEmit): number {
  return measure(emit).attachments;
}

function measure(emit: FuzzEmit): { bytes: number; attachments: number } {
  const attachments: number[] = [];
  const seen = new Set<unknown>();
  const strip = (v: unknown, depth: number): unknown => {
    if (isBinary(v)) {
      attachments.push((v as ArrayBuffer).byteLength);
      return { _placeholder: true, num: attachments.length - 1 };
    }
    if (depth > 2000 || v === null || typeof v !== 'object' || seen.has(v)) return v;
    seen.add(v);
    if (Array.isArray(v)) return v.map((x) => strip(x, depth + 1));
    if (v instanceof Date || v instanceof Map || v instanceof Set || v instanceof RegExp) return v;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) Object.defineProperty(out, key, { value: strip((v as Record<string, unknown>)[key], depth + 1), enumerable: true });
    return out;
  };
  const text = `451-99999${JSON.stringify([emit.event, ...emit.args.map((a) => strip(a, 0)), ...(emit.strayFunction ? [null] : [])])}`;
  return { bytes: Math.max(Buffer.byteLength(text), ...attachments), attachments: attachments.length };
}

/** What the server's parser hands the handler: JSON text round-tripped, binary kept as binary. */
/**
 * socket.io-client copies a packet that holds binary key by key into fresh
 * objects before sending, so an own `__proto__` key there becomes the copy's
 * prototype and never reaches the server. Modelled here.
 */
function deconstructed(value: unknown): unknown {
  if (isBinary(value)) return { __binary: true };
  if (Array.isArray(value)) return value.map(deconstructed);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = deconstructed((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function holdsBinary(value: unknown): boolean {
  if (isBinary(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(holdsBinary);
}

export function asReceived(value: unknown): unknown {
  if (isBinary(value)) return value;
  if (holdsBinary(value)) value = deconstructed(value);
  const json = JSON.stringify(value, (_key, v: unknown) => (isBinary(v) ? { __binary: true } : v));
  return json === undefined ? undefined : JSON.parse(json);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isBinary(v) && !('__binary' in v && Object.keys(v).length === 1);

const onlyKeys = (v: Record<string, unknown>, allowed: string[]): boolean => Object.keys(v).every((k) => allowed.includes(k));

/**
 * Whether docs/protocol.md says the payload is acceptable — written from the
 * document, independently of the node's schemas.
 */
export function isValidPayload(event: string, args: unknown[]): boolean {
  if (!(CLIENT_EVENTS as readonly string[]).includes(event) || args.length !== 1) return false;
  const p = asReceived(args[0]);
  if (!isPlainObject(p)) return false;
  switch (event as ClientEvent) {
    case 'find-match':
    case 'next-match': {
      if (!onlyKeys(p, ['interests'])) return false;
      if (p.interests === undefined) return true;
      return (
        Array.isArray(p.interests) &&
        p.interests.length <= 10 &&
        p.interests.every((i) => typeof i === 'string' && i.isWellFormed() && i.trim().length >= 1 && i.trim().length <= 30)
      );
    }
    case 'send-message':
      return (
        onlyKeys(p, ['text', 'replyTo', 'clientId', 'roomId']) &&
        typeof p.text === 'string' &&
        p.text.isWellFormed() &&
        [p.replyTo, p.clientId, p.roomId].every((id) => id === undefined || (typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id)))
      );
    case 'typing':
      return onlyKeys(p, ['isTyping']) && Object.keys(p).length === 1 && typeof p.isTyping === 'boolean';
    default:
      return Object.keys(p).length === 0;
  }
}

/** Error codes a valid payload of each event may be answered with (protocol.md's table, plus UNAVAILABLE). */
export const ALLOWED_ERRORS: Record<ClientEvent, string[]> = {
  'find-match': ['ALREADY_IN_CHAT', 'RATE_LIMITED'],
  'cancel-match': ['ALREADY_IN_CHAT'],
  'next-match': ['RATE_LIMITED'],
  'send-message': ['EMPTY_MESSAGE', 'MESSAGE_TOO_LONG', 'NOT_IN_CHAT', 'RATE_LIMITED'],
  typing: ['NOT_IN_CHAT'],
  'leave-room': ['NOT_IN_CHAT'],
  block: ['NOT_IN_CHAT'],
};
