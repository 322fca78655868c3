/**
 * The host's and co-hosts' tools: removing a member, naming a co-host (host
 * only), muting for a time (0 lifts it), and the room's settings (slow mode,
 * description, rules; host only) as the host saves them and as
 * `room-updated` brings them to everyone.
 */
import type { RoomsContext } from './room-context';
import type { RoomActions } from './rooms-controller';
import { updateRoom } from './rooms-state';

export type ModerationActions = Pick<RoomActions, 'kick' | 'setRole' | 'mute' | 'saveSettings'>;

export function bindModeration(ctx: RoomsContext): ModerationActions {
  const { client, api, store, fail } = ctx;

  client.on('room-updated', ({ code, ...changed }) => updateRoom(store, code, (room) => ({ ...room, settings: changed })));

  return {
    async kick(code, name) {
      const outcome = await api.kick(code, name);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async setRole(code, name, role) {
      const outcome = await api.setRole(code, name, role);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async mute(code, name, durationMs) {
      const outcome = await api.mute(code, name, durationMs);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async saveSettings(payload) {
      const outcome = await api.settings(payload);
      if (!outcome.ok) {
        fail('room', outcome.problem);
        return false;
      }
      const { slowModeS, description, rules } = outcome.room;
      updateRoom(store, payload.code, (r) => ({ ...r, settings: { slowModeS, description, rules } }));
      return true;
    },
  };
}
