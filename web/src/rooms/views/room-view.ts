/**
 * The room screen around the message list (./room-messages): its top
 * (./room-header: the bar, the backstage invitation, what the room is about),
 * the people in it (./room-members, a drawer on phones), the names typing,
 * and writing (./room-composer). A one-second tick runs what changes with
 * time alone: slow mode's countdown and the end of a member's mute.
 */
import { byTestId, setMixedText, show } from '../../app/dom';
import { typingParts } from '../../app/format';
import type { Settings } from '../../app/settings';
import type { OpenReport } from '../../moderation/views/report-dialog';
import type { Confirm } from '../../ui/confirm';
import type { RoomActions } from '../rooms-controller';
import type { RoomsStateStore } from '../rooms-state';
import { bindRoomComposer } from './room-composer';
import { bindRoomHeader } from './room-header';
import { bindMemberList } from './room-members';

export function mountRoomView(store: RoomsStateStore, actions: RoomActions, confirm: Confirm, settings: Settings, report?: OpenReport): void {
  const view = byTestId('room-view');
  const typing = byTestId('room-typing');
  const typingLine = typing.querySelector<HTMLElement>('.room-typing-text')!;
  let code: string | null = null;
  const shown = () => code;

  const composer = bindRoomComposer(store, actions, settings, shown);
  const members = bindMemberList(actions, confirm);
  const header = bindRoomHeader(store, actions, shown, () => members.setDrawer(false), report);

  setInterval(() => {
    composer.tick();
    members.tick(code ? store.get().joined.get(code) : undefined);
  }, 1000);

  store.subscribe((state, previous) => {
    const room = state.active ? state.joined.get(state.active) : undefined;
    show(view, state.tab === 'rooms' && !!room);
    if (!room) {
      if (code) composer.stopTyping();
      code = null;
      return;
    }
    if (code !== room.info.code) {
      members.reset();
      code = room.info.code;
      header.reset();
      composer.reset(previous.active !== state.active);
    }
    header.render(room);
    members.render(room);
    const others = room.typing.filter((n) => n !== room.you.name);
    setMixedText(typingLine, typingParts(others), '');
    show(typing, others.length > 0);
    composer.render(state, previous, room);
  });
}
