/**
 * Hands a room's pins and reactions to this node's members.
 *
 * Reactions: each member gets its own `mine`. One broadcast (every `mine`
 * false) goes to the room's channel except the members who reacted to the
 * message, and each of those gets its own copy through its user channel;
 * a change costs one encode plus one per reacting member here, not one per
 * member.
 *
 * Pins: the node keeps the pins of every room it has members of (read once
 * when its first member arrives, then from each change) and arms one timer
 * per room, for the earliest end. When a pin ends, the node sends its members
 * the pins left: every node does so at the pin's `until` by its own clock,
 * with no store read, no polling of rooms, and nothing sent between nodes.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { RoomReactionsEvent } from '../protocol';
import { reactionsView } from '../rooms/reactions';
import { pinView } from '../rooms/views';
import { pinsInForce, type PinRecord, type Reactions, type RoomsStore } from '../store/rooms-store';
import { roomChannel, userChannel } from './channels';
import type { ParleyIo } from './types';

/** Longest a timer may be set for (setTimeout's bound); a later end re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RoomMarks {
  /** A message's reactions changed: tell this node's members. */
  reactions(code: string, seq: number, reactions: Reactions): void;
  /** The room's pins changed: tell this node's members, and watch the new ends. */
  pins(code: string, pins: PinRecord[]): void;
  /** This node has a member of the room now: learn its pins. */
  follow(code: string): void;
  /** No member of the room is left here. */
  unfollow(code: string): void;
  /** The feed was away: a change of the pins may have been missed. Reads them and tells this node's members. */
  catchUp(code: string): void;
}

interface Watched {
  pins: PinRecord[];
  timer?: NodeJS.Timeout;
  /** A change arrived: a read of the pins started before it is stale. */
  changed: boolean;
}

export function createRoomMarks(io: ParleyIo, store: Pick<RoomsStore, 'pins'>, clock: Clock, logger: Logger): RoomMarks {
  const rooms = new Map<string, Watched>();

  const arm = (code: string, room: Watched): void => {
    clearTimeout(room.timer);
    room.timer = undefined;
    const ends = room.pins.flatMap((p) => (p.until === null ? [] : [p.until]));
    if (ends.length === 0) return;
    const delay = Math.min(Math.max(0, Math.min(...ends) - clock.now()), MAX_TIMER_MS);
    room.timer = setTimeout(() => {
      if (rooms.get(code) !== room) return;
      const left = pinsInForce(room.pins, clock.now());
      const ended = left.length < room.pins.length;
      room.pins = left;
      if (ended) io.local.to(roomChannel(code)).emit('room-pins', { code, pins: left.map(pinView) });
      arm(code, room);
    }, delay);
    room.timer.unref();
  };

  /** Reads the room's pins, unless a change arrives first; `tell`: and sends them to this node's members. */
  const read = (code: string, room: Watched, tell: boolean): void => {
    store.pins(code, clock.now()).then(
      (pins) => {
        if (rooms.get(code) !== room || room.changed) return;
        room.pins = pins;
        arm(code, room);
        if (tell) io.local.to(roomChannel(code)).emit('room-pins', { code, pins: pins.map(pinView) });
      },
      (err: unknown) => logger.warn({ err, code }, 'could not read the pins of a room'),
    );
  };

  return {
    reactions(code, seq, reactions) {
      const reactors = [...new Set(reactions.flatMap(([, users]) => users))];
      const everyone: RoomReactionsEvent = { code, seq, reactions: reactionsView(reactions, null) };
      io.local.to(roomChannel(code)).except(reactors.map(userChannel)).emit('room-reactions', everyone);
      // A reacting member's sockets here that are in the room (one who left keeps its reaction, not the events).
      const channels = io.of('/').adapter.rooms;
      const inRoom = channels.get(roomChannel(code));
      for (const userId of reactors) {
        const sockets = [...(channels.get(userChannel(userId)) ?? [])].filter((sid) => inRoom?.has(sid));
        if (sockets.length > 0) io.local.to(sockets).emit('room-reactions', { code, seq, reactions: reactionsView(reactions, userId) });
      }
    },
    pins(code, pins) {
      const now = clock.now();
      const inForce = pinsInForce(pins, now);
      io.local.to(roomChannel(code)).emit('room-pins', { code, pins: inForce.map(pinView) });
      const room = rooms.get(code);
      if (!room) return;
      room.pins = inForce;
      room.changed = true;
      arm(code, room);
    },
    follow(code) {
      if (rooms.has(code)) return;
      const room: Watched = { pins: [], changed: false };
      rooms.set(code, room);
      read(code, room, false);
    },
    catchUp(code) {
      const room = rooms.get(code);
      if (!room) return;
      room.changed = false;
      read(code, room, true);
    },
    unfollow(code) {
      clearTimeout(rooms.get(code)?.timer);
      rooms.delete(code);
    },
  };
}
