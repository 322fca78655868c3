/**
 * Editing and deleting one's own room message against scripted requests: a
 * message past the server's edit window, or refused by the server (its clock
 * ahead of the device's), loses its buttons and says why; the text being
 * edited stays while the window has closed under it.
 */
import type { RoomMessage } from '../../src/protocol';
import type { Outcome, ParleyClient } from '../../web/src/app/connection';
import { DEFAULT_SETTINGS } from '../../web/src/app/settings';
import { canChangeOwn } from '../../web/src/rooms/deadlines';
import type { RoomsContext } from '../../web/src/rooms/room-context';
import { bindEdits } from '../../web/src/rooms/room-edits';
import { EMPTY_TIMELINE, mergeMessages } from '../../web/src/rooms/room-timeline';
import { createRoomsStateStore, joinedFrom } from '../../web/src/rooms/rooms-state';

const WINDOW = DEFAULT_SETTINGS.roomEditWindowMs;
const CODE = 'room1';
const msg = (seq: number, name: string, sentAt: number): RoomMessage => ({ seq, id: `m${seq}`, name, text: `text ${seq}`, sentAt, kind: 'member' });

function setup(answers: { edit?: Outcome<object>; deleteMessage?: Outcome<object> }) {
  const store = createRoomsStateStore();
  const info = { code: CODE, title: 'Room', visibility: 'private' as const, members: 2, createdAt: 0 };
  const you = { name: 'Ann', host: false, role: 'member' as const };
  const room = joinedFrom(info as never, you, [you], { slowModeS: 0, description: null, rules: null });
  const now = Date.now();
  const timeline = mergeMessages(EMPTY_TIMELINE, [msg(1, 'Ann', now - WINDOW - 1_000), msg(2, 'Ann', now - 1_000), msg(3, 'Bo', now - 1_000)]);
  store.set({ joined: new Map([[CODE, { ...room, timeline }]]), active: CODE, tab: 'rooms' });
  const calls: string[] = [];
  const api = {
    edit: (_code: string, seq: number) => (calls.push(`edit ${seq}`), Promise.resolve(answers.edit ?? { ok: false, problem: 'NOT_ALLOWED' })),
    deleteMessage: (_code: string, seq: number) => (calls.push(`delete ${seq}`), Promise.resolve(answers.deleteMessage ?? { ok: false, problem: 'NOT_ALLOWED' })),
  };
  const ctx = {
    client: { on: () => undefined } as unknown as ParleyClient,
    api,
    store,
    settings: DEFAULT_SETTINGS,
    reads: { onScreen: () => true },
    fail: (_scope: string, problem: string) => store.set({ error: { scope: 'room', text: `failed: ${problem}` } }),
  } as unknown as RoomsContext;
  return { store, calls, actions: bindEdits(ctx), closed: () => store.get().joined.get(CODE)!.editsClosed };
}

test('an edit the server refuses as not allowed closes that message to changes, with the reason', async () => {
  const { store, calls, actions, closed } = setup({});
  actions.startEdit(2);
  await actions.edit(CODE, 'text 2, fixed');
  expect(calls).toEqual(['edit 2']);
  expect(closed()).toEqual([2]);
  expect(store.get().error?.text).toBe('The time to change this message has passed.');
  expect(canChangeOwn(msg(2, 'Ann', Date.now()), 'Ann', Date.now(), WINDOW, closed())).toBe(false);
});

test('a save after the window closed asks nothing and keeps the text being edited', async () => {
  const { store, calls, actions } = setup({});
  actions.startEdit(1);
  await actions.edit(CODE, 'too late');
  expect(calls).toEqual([]);
  expect(store.get().editing).toBe(1);
  expect(store.get().error?.text).toBe('The time to change this message has passed.');
});

test('a refused delete closes one\'s own message only; another\'s refusal is shown as it came', async () => {
  const own = setup({});
  await own.actions.deleteMessage(CODE, 2);
  expect(own.closed()).toEqual([2]);
  const other = setup({});
  await other.actions.deleteMessage(CODE, 3);
  expect(other.closed()).toEqual([]);
  expect(other.store.get().error?.text).toBe('failed: NOT_ALLOWED');
});

test('an edit the server takes replaces the text under the same seq and leaves the message open', async () => {
  const { store, actions, closed } = setup({ edit: { ok: true, message: { seq: 2, text: 'text 2, fixed', editedAt: Date.now() } } as Outcome<object> });
  actions.startEdit(2);
  await actions.edit(CODE, 'text 2, fixed');
  const edited = store.get().joined.get(CODE)!.timeline.messages.find((m) => m.seq === 2)!;
  expect(edited.text).toBe('text 2, fixed');
  expect(edited.editedAt).toBeDefined();
  expect(closed()).toEqual([]);
  expect(store.get().editing).toBeNull();
});
