/**
 * The one loader of the Redis scripts. Every script sits in a folder of its
 * feature under ./lua (match/, chat/, nodes/, safety/, rooms/, presence/) and
 * is named `<name>-<numberOfKeys>.lua`; it becomes the client command
 * `<name>` in camelCase (room-join-8.lua → roomJoin). A line
 * `-- @include <file>` is replaced by lua/includes/<file>.lua, so helpers are
 * written once. The commands are typed once, in ParleyCommands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';

const LUA_DIR = path.join(__dirname, 'lua');
const INCLUDES = 'includes';

export interface ScriptSource {
  name: string;
  numberOfKeys: number;
  lua: string;
  /** The file, relative to the lua folder (for messages). */
  file: string;
}

function resolveIncludes(lua: string): string {
  return lua.replace(/^-- @include (\S+)\s*$/gm, (_line, file: string) =>
    readFileSync(path.join(LUA_DIR, INCLUDES, `${file}.lua`), 'utf8'),
  );
}

/** Reads every script of every feature folder; a `#!lua` shebang must stay on the first line. */
export function readScripts(): ScriptSource[] {
  const features = readdirSync(LUA_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== INCLUDES);
  const scripts = features.flatMap(({ name: feature }) =>
    readdirSync(path.join(LUA_DIR, feature))
      .filter((file) => file.endsWith('.lua'))
      .map((file) => {
        const match = /^(.+)-(\d+)\.lua$/.exec(file);
        if (!match) throw new Error(`Lua script name must be <name>-<keys>.lua: ${feature}/${file}`);
        return {
          name: match[1]!.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()),
          numberOfKeys: Number(match[2]),
          lua: resolveIncludes(readFileSync(path.join(LUA_DIR, feature, file), 'utf8')),
          file: `${feature}/${file}`,
        };
      }),
  );
  const seen = new Map<string, string>();
  for (const script of scripts) {
    const other = seen.get(script.name);
    if (other) throw new Error(`Lua scripts ${other} and ${script.file} define the same command ${script.name}`);
    seen.set(script.name, script.file);
  }
  return scripts;
}

export type ScriptReply = string | number | null | ScriptReply[];

type Command<R = ScriptReply> = (...args: (string | number)[]) => Promise<R>;

/** The commands the scripts add to a client, one per script, by feature folder. */
export interface ParleyCommands {
  // match/
  enqueue: Command<ScriptReply[]>;
  activate: Command<number>;
  candidates: Command<ScriptReply[]>;
  commitPair: Command<ScriptReply[]>;
  leave: Command<ScriptReply[]>;
  attach: Command<ScriptReply[]>;
  detach: Command<ScriptReply[]>;
  expireAway: Command<ScriptReply[]>;
  counts: Command<number[]>;
  endCall: Command<ScriptReply[]>;
  // chat/
  chatRelay: Command<ScriptReply[]>;
  chatOpen: Command<number>;
  chatClose: Command<number>;
  chatOf: Command<string[]>;
  chatAttach: Command<string[]>;
  chatRead: Command<string[]>;
  chatCallNote: Command<number>;
  // nodes/
  sweepNode: Command<ScriptReply[]>;
  ipConnect: Command<number>;
  // safety/
  block: Command<string | null>;
  // rooms/
  roomCreate: Command;
  roomReserve: Command;
  roomJoin: Command;
  roomRemove: Command;
  roomAppend: Command;
  roomDelete: Command;
  roomPin: Command;
  roomUnpin: Command;
  roomReact: Command;
  roomRestore: Command;
  roomEdit: Command;
  roomRead: Command;
  roomPresence: Command;
  roomDue: Command;
  roomDestroy: Command;
  roomModerate: Command;
  roomSettings: Command;
  roomArchivers: Command<number[]>;
  // presence/
  presenceConnect: Command;
  presenceDisconnect: Command;
  presenceExpire: Command;
  presenceSweep: Command;
}

/** One Redis or a Redis Cluster: every store runs on either (keys of one script share a hash tag). */
export type RedisClient = Redis | Cluster;

export type ScriptedRedis = RedisClient & ParleyCommands;

/** Registers every script on the client (EVALSHA, falling back to EVAL); stores sharing a client register the same ones. */
export function defineScripts(client: RedisClient): ScriptedRedis {
  for (const script of readScripts()) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
  return client as ScriptedRedis;
}
