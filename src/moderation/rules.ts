/**
 * The rules users accept before they search or join a room. The text lives
 * in one file per language (rules.md in English, rules.<lang>.md beside it, a
 * small Markdown subset); each text's version is a short hash of that text, so
 * editing the rules in a language asks its readers to accept them again, and
 * the version an identity accepted names the exact text it read.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RulesBlock } from '../protocol';

export type { RulesBlock };

/** The rules in one language. */
export interface RulesText {
  /** BCP 47 code of the text's language ("en", "pt-BR"). */
  language: string;
  /** 12 hex digits of the SHA-256 of the text. */
  version: string;
  blocks: RulesBlock[];
}

/** The English rules, with every translation shipped beside them. */
export interface Rules extends RulesText {
  /** The rules in each language, English (this text) first. */
  texts: readonly RulesText[];
}

const RULES_DIR = __dirname;

/** `#`/`##` headings, `- ` list items, paragraphs of consecutive lines; nothing else is special. */
export function parseRules(text: string, language = 'en'): RulesText {
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
  return { language, version, blocks };
}

/** The English text and its translations as one set of rules. */
export function rulesOf(english: RulesText, translations: readonly RulesText[] = []): Rules {
  return { ...english, texts: [english, ...translations] };
}

/** The rules of this build, read once from rules.md and each rules.<lang>.md in `dir`. */
export function loadRules(dir: string = RULES_DIR): Rules {
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  const translations = readdirSync(dir)
    .map((name) => /^rules\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$/.exec(name)?.[1])
    .filter((language): language is string => language !== undefined)
    .sort()
    .map((language) => parseRules(read(`rules.${language}.md`), language));
  return rulesOf(parseRules(read('rules.md')), translations);
}

/**
 * The text for a reader: an exact language match, else the same base language
 * ("pt" for "pt-PT" finds "pt-BR"), else English.
 */
export function rulesIn(rules: Rules, language: string | undefined): RulesText {
  if (!language) return rules;
  const wanted = language.toLowerCase();
  const base = wanted.split('-')[0];
  return (
    rules.texts.find((text) => text.language.toLowerCase() === wanted) ??
    rules.texts.find((text) => text.language.toLowerCase().split('-')[0] === base) ??
    rules
  );
}

/** What an `accept-rules` with this version means. */
export type AcceptanceCheck = 'current' | 'outdated';

/** Current when `version` is the version of the rules' text in any language. */
export function checkVersion(rules: Rules, version: string): AcceptanceCheck {
  return rules.texts.some((text) => text.version === version) ? 'current' : 'outdated';
}
