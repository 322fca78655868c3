/**
 * Marks on messages: the pins (set by the host and co-hosts; the server says
 * when they change or one ends) and everyone's reactions, live.
 */
import type { RoomsContext } from './room-context';
import { setReactions } from './room-timeline';
import { updateRoom } from './rooms-state';

export interface PinReactionActions {
  /** Host and co-hosts: pins a message for `durationMs`, or until unpinned. */
  pin(code: string, seq: number, durationMs?: number): Promise<void>;
  unpin(code: string, seq: number): Promise<void>;
  /** Adds (`on`) or removes the user's reaction. */
  react(code: string, seq: number, emoji: string, on: boolean): Promise<void>;
}

export function bindPinsReactions(ctx: RoomsContext): PinReactionActions {
  const { client, api, store, fail } = ctx;

  client.on('room-pins', ({ code, pins }) => updateRoom(store, code, (room) => ({ ...room, pins })));

  client.on('room-reactions', ({ code, seq, reactions }) =>
    updateRoom(store, code, (room) => ({ ...room, timeline: setReactions(room.timeline, seq, reactions) })),
  );

  return {
    async pin(code, seq, durationMs) {
      const outcome = await api.pin(code, seq, durationMs);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async unpin(code, seq) {
      const outcome = await api.unpin(code, seq);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async react(code, seq, emoji, on) {
      const outcome = await api.react(code, seq, emoji, on);
      if (!outcome.ok) fail('room', outcome.problem);
    },
  };
}
