/**
 * Loads the Lua scripts in ./lua into ioredis commands. A file is named
 * `<name>-<numberOfKeys>.lua`; a line `-- @include <file>` is replaced by
 * lua/includes/<file>.lua, so helpers are written once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';

const LUA_DIR = path.join(__dirname, 'lua');

export interface ScriptSource {
  name: string;
  numberOfKeys: number;
  lua: string;
}

function resolveIncludes(lua: string): string {
  return lua.replace(/^-- @include (\S+)\s*$/gm, (_line, file: string) =>
    readFileSync(path.join(LUA_DIR, 'includes', `${file}.lua`), 'utf8'),
  );
}

/** Reads every script once; a `#!lua` shebang must stay on the first line. */
export function readScripts(dir: string = LUA_DIR): ScriptSource[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.lua'))
    .map((file) => {
      const match = /^(.+)-(\d+)\.lua$/.exec(file);
      if (!match) throw new Error(`Lua script name must be <name>-<keys>.lua: ${file}`);
      return {
        name: match[1]!.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()),
        numberOfKeys: Number(match[2]),
        lua: resolveIncludes(readFileSync(path.join(dir, file), 'utf8')),
      };
    });
}

export type ScriptReply = string | number | null | ScriptReply[];

/** The commands the scripts add to a client. */
export interface ParleyCommands {
  enqueue(...args: (string | number)[]): Promise<ScriptReply[]>;
  activate(...args: (string | number)[]): Promise<number>;
  candidates(...args: (string | number)[]): Promise<ScriptReply[]>;
  commitPair(...args: (string | number)[]): Promise<ScriptReply[]>;
  leave(...args: (string | number)[]): Promise<ScriptReply[]>;
  attach(...args: (string | number)[]): Promise<ScriptReply[]>;
  detach(...args: (string | number)[]): Promise<ScriptReply[]>;
  expireAway(...args: (string | number)[]): Promise<ScriptReply[]>;
  sweepNode(...args: (string | number)[]): Promise<ScriptReply[]>;
  chatRelay(...args: (string | number)[]): Promise<ScriptReply[]>;
  chatOpen(...args: (string | number)[]): Promise<number>;
  chatClose(...args: (string | number)[]): Promise<number>;
  chatOf(...args: (string | number)[]): Promise<string[]>;
  chatAttach(...args: (string | number)[]): Promise<string[]>;
  ipConnect(...args: (string | number)[]): Promise<number>;
  block(...args: (string | number)[]): Promise<string | null>;
  counts(...args: (string | number)[]): Promise<number[]>;
}

/** One Redis or a Redis Cluster: every store runs on either (keys of one script share a hash tag). */
export type RedisClient = Redis | Cluster;

export type ScriptedRedis = RedisClient & ParleyCommands;

/** Registers every script on the client (EVALSHA, falling back to EVAL). */
export function defineScripts(client: RedisClient): ScriptedRedis {
  for (const script of readScripts()) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
  return client as ScriptedRedis;
}
