/**
 * The host's and co-hosts' tools: removing a member, naming a co-host (host
 * only), muting for a time (0 lifts it), and the room's settings (slow mode,
 * description, rules; host only) as the host saves them and as
 * `room-updated` brings them to everyone.
 */
import type { RoomSettingsPayload } from '@parley/protocol';
import type { RoomsContext } from './room-context';
import { updateRoom } from './rooms-state';

export interface ModerationActions {
  kick(code: string, name: string): Promise<void>;
  /** Host only: names a co-host, or makes one a member again. */
  setRole(code: string, name: string, role: 'cohost' | 'member'): Promise<void>;
  /** Host and co-hosts: mutes a member for `durationMs` (0 lifts it). */
  mute(code: string, name: string, durationMs: number): Promise<void>;
  /** Host only: true once saved. */
  saveSettings(payload: RoomSettingsPayload): Promise<boolean>;
}

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
