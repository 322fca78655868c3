/**
 * A room's backstage: the host opens it (the first time makes it) and invites
 * members of the main room; the host, co-hosts and invited members join it
 * and see it. An invitation shows in the main room until the backstage is opened.
 */
import type { RoomJoinResult } from '@parley/protocol';
import type { RoomsContext } from './room-context';
import { updateRoom } from './rooms-state';

export interface BackstageActions {
  /** Host, co-hosts and invited members: opens the room's backstage (the host opens it first) and shows it. */
  openBackstage(code: string): Promise<void>;
  /** Host only: invites a member of the room into its backstage. */
  inviteToBackstage(code: string, name: string): Promise<void>;
}

export function bindBackstage(ctx: RoomsContext, applyJoin: (result: RoomJoinResult) => void, open: (code: string) => void): BackstageActions {
  const { client, api, store, fail } = ctx;

  client.on('room-backstage-invite', ({ code, by }) => updateRoom(store, code, (room) => ({ ...room, backstageBy: by })));

  return {
    async openBackstage(code) {
      const found = await api.backstage(code);
      if (!found.ok) return fail('room', found.problem);
      updateRoom(store, code, (r) => ({ ...r, backstageBy: null }));
      const backstage = found.backstage.code;
      if (!store.get().joined.has(backstage)) {
        // Without a name one goes by one's name in the main room.
        const outcome = await api.join({ code: backstage });
        if (!outcome.ok) return fail('room', outcome.problem);
        applyJoin(outcome);
      }
      open(backstage);
    },
    async inviteToBackstage(code, name) {
      const outcome = await api.backstage(code, name);
      if (!outcome.ok) return fail('room', outcome.problem);
      updateRoom(store, code, (r) => (r.backstageInvited.includes(name) ? r : { ...r, backstageInvited: [...r.backstageInvited, name] }));
    },
  };
}
