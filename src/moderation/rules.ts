/**
 * The rules users accept before they search or join a room. The text lives
 * in one file (rules.md, a small Markdown subset); its version is a short hash
 * of that text, so editing the rules asks everyone to accept them again.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RulesBlock } from '../protocol';

export type { RulesBlock };

export interface Rules {
  /** 12 hex digits of the SHA-256 of the text. */
  version: string;
  blocks: RulesBlock[];
}

const RULES_FILE = path.join(__dirname, 'rules.md');

/** `#`/`##` headings, `- ` list items, paragraphs of consecutive lines; nothing else is special. */
export function parseRules(text: string): Rules {
  const version = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const blocks: RulesBlock[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^(#{1,2})\s+(.*)$/.exec(line);
    if (line === '') flush();
    else if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1 | 2, text: heading[2]! });
    } else if (line.startsWith('- ')) {
      flush();
      blocks.push({ kind: 'item', text: line.slice(2).trim() });
    } else paragraph.push(line);
  }
  flush();
  return { version, blocks };
}

/** The rules of this build, read once from rules.md next to this file. */
export function loadRules(file: string = RULES_FILE): Rules {
  return parseRules(readFileSync(file, 'utf8'));
}

/** What an `accept-rules` with this version means. */
export type AcceptanceCheck = 'current' | 'outdated';

export function checkVersion(rules: Rules, version: string): AcceptanceCheck {
  return version === rules.version ? 'current' : 'outdated';
}
