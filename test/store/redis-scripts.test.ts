import { readScripts, type ParleyCommands } from '../../src/store/redis/scripts';

/** Every typed command; the compiler keeps this list equal to ParleyCommands. */
const TYPED: Record<keyof ParleyCommands, true> = {
  enqueue: true,
  activate: true,
  candidates: true,
  commitPair: true,
  leave: true,
  attach: true,
  detach: true,
  expireAway: true,
  counts: true,
  endCall: true,
  chatRelay: true,
  chatOpen: true,
  chatClose: true,
  chatOf: true,
  chatAttach: true,
  chatRead: true,
  chatCallNote: true,
  sweepNode: true,
  ipConnect: true,
  block: true,
  roomCreate: true,
  roomReserve: true,
  roomJoin: true,
  roomRemove: true,
  roomAppend: true,
  roomDelete: true,
  roomPin: true,
  roomUnpin: true,
  roomReact: true,
  roomRestore: true,
  roomEdit: true,
  roomRead: true,
  roomPresence: true,
  roomDue: true,
  roomDestroy: true,
  roomModerate: true,
  roomSettings: true,
  roomArchivers: true,
  presenceConnect: true,
  presenceDisconnect: true,
  presenceExpire: true,
  presenceSweep: true,
};

describe('the Redis script loader', () => {
  const scripts = readScripts();

  it('loads every script of every feature folder as exactly the typed commands', () => {
    expect(scripts.map((s) => s.name).sort()).toEqual(Object.keys(TYPED).sort());
  });

  it('reads the number of keys from the file name and keeps scripts in feature folders', () => {
    const join = scripts.find((s) => s.name === 'roomJoin');
    expect(join).toMatchObject({ numberOfKeys: 8, file: 'rooms/room-join-8.lua' });
    for (const script of scripts) expect(script.file).toMatch(/^(match|chat|nodes|safety|rooms|presence)\/[a-z-]+-\d\.lua$/);
  });

  it('resolves every include from lua/includes, whatever folder the script is in', () => {
    for (const script of scripts) expect(script.lua).not.toMatch(/@include/);
    const leave = scripts.find((s) => s.name === 'leave')!.lua;
    expect(leave).toContain('local function leave_pools(');
    expect(leave).toContain('local function end_chat(');
  });
});
