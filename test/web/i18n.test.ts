/**
 * The page's words: every language has every key of English with the same
 * placeholders, every error code has its words, the markup's English is the
 * resource file's, and no user-visible English is left in the views' code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { isStructurallySame, parse } from '@formatjs/icu-messageformat-parser';
import { ERROR_CODES } from '../../src/protocol/errors';
import { LANGUAGES, pickLanguage } from '../../web/src/i18n/languages';
import { t, useMessages } from '../../web/src/i18n/i18n';

const WEB = path.join(__dirname, '..', '..', 'web');
const LOCALES = path.join(WEB, 'locales');
const read = (language: string): Record<string, string> => JSON.parse(readFileSync(path.join(LOCALES, `${language}.json`), 'utf8'));
const english = read('en');

/** What a translation gets wrong against English: keys missing or extra, placeholders that differ, empty messages. */
function problems(reference: Record<string, string>, messages: Record<string, string>): string[] {
  const missing = Object.keys(reference).filter((key) => !(key in messages)).map((key) => `missing ${key}`);
  const extra = Object.keys(messages).filter((key) => !(key in reference)).map((key) => `extra ${key}`);
  const different = Object.keys(reference)
    .filter((key) => key in messages)
    .filter((key) => !isStructurallySame(parse(reference[key]!, { ignoreTag: true }), parse(messages[key]!, { ignoreTag: true })).success)
    .map((key) => `placeholders of ${key}`);
  const empty = Object.keys(messages).filter((key) => messages[key]!.trim() === '').map((key) => `empty ${key}`);
  return [...missing, ...extra, ...different, ...empty];
}

describe('resource files', () => {
  test('there is one for each language the page offers, and no other', () => {
    expect(readdirSync(LOCALES).sort()).toEqual(LANGUAGES.map((language) => `${language}.json`).sort());
  });

  test.each(LANGUAGES.filter((language) => language !== 'en'))('%s has every English key, no other, each with the same placeholders', (language) => {
    expect(problems(english, read(language))).toEqual([]);
  });

  test('the check finds a missing key, a renamed or dropped placeholder, a plural made plain, and an empty message', () => {
    const reference = { a: 'Hi {name}', b: '{count, plural, one {# day} other {# days}}', c: 'Bye', d: 'Go' };
    expect(problems(reference, { a: 'Hallo {nom}', b: '# Tage', c: ' ' })).toEqual([
      'missing d',
      'placeholders of a',
      'placeholders of b',
      'empty c',
    ]);
  });

  test('every error code has its words', () => {
    for (const code of [...ERROR_CODES, 'TIMEOUT']) expect(english).toHaveProperty([`error.${code}`]);
  });
});

describe('the language', () => {
  test('a stored choice wins, then the browser’s first language the page speaks, by exact tag or base language; else English', () => {
    expect(pickLanguage(['fr-FR', 'de-AT', 'es'])).toBe('de');
    expect(pickLanguage(['pt-PT'])).toBe('pt-BR');
    expect(pickLanguage(['pt-br'])).toBe('pt-BR');
    expect(pickLanguage(['ar-EG', 'en'])).toBe('ar');
    expect(pickLanguage(['ja', 'zh'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
    expect(pickLanguage(['de'], 'hi')).toBe('hi');
    expect(pickLanguage(['de'], 'xx')).toBe('de');
  });

  test('plurals, numbers and fallbacks follow the chosen language', () => {
    try {
      useMessages('de', read('de'));
      expect(t('contacts.unread', { count: 1 })).toBe('1 ungelesene Nachricht');
      expect(t('contacts.unread', { count: 1200 })).toBe('1.200 ungelesene Nachrichten');
      useMessages('ar', { 'chat.sent': 'أُرسلت' });
      expect(t('chat.sent')).toBe('أُرسلت');
      // A key the language lacks falls back to English.
      expect(t('chat.retry')).toBe('Retry');
    } finally {
      useMessages('en', english);
    }
  });
});

describe('the markup', () => {
  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8');

  test('each marked text and attribute in index.html is the English of its key', () => {
    const marked = [...html.matchAll(/data-i18n="([^"]+)">([^<]*)</g)];
    expect(marked.length).toBeGreaterThan(100);
    for (const [, key, text] of marked) expect([key, english[key!]]).toEqual([key, text!.replace(/&amp;/g, '&')]);
    for (const [tag] of html.matchAll(/<[^>]*data-i18n-attr="[^"]+"[^>]*>/g)) {
      for (const [, attribute, key] of tag.matchAll(/([a-z-]+):([a-z0-9_.]+)/g)) {
        const value = new RegExp(` ${attribute}="([^"]*)"`).exec(tag)?.[1];
        expect([key, english[key!]]).toEqual([key, value]);
      }
    }
  });

  test('no words in index.html are left unmarked', () => {
    const body = html
      .replace(/<svg[\s\S]*?<\/svg>/g, '')
      .replace(/<noscript>[\s\S]*?<\/noscript>/g, '')
      .replace(/<(script|style)[\s\S]*?<\/\1>/g, '');
    // The brand, key names, and the language menu's placeholders (replaced by each language's own name and code).
    const NOT_WORDS = new Set(['parley', 'Esc Esc', 'English', 'EN']);
    const unmarked = [...body.matchAll(/<([a-z0-9]+)((?:[^>"]|"[^"]*")*)>([^<]*[A-Za-z][^<]*)</g)]
      .filter(([, , attributes, text]) => !attributes!.includes('data-i18n=') && !NOT_WORDS.has(text!.trim()))
      .map(([, , , text]) => text!.trim());
    expect(unmarked).toEqual([]);
    const unmarkedAttributes = [...body.matchAll(/<[^>]+>/g)].flatMap(([tag]) =>
      [...tag.matchAll(/ (aria-label|placeholder|title)="([^"]*[A-Za-z]{2}[^"]*)"/g)]
        .filter(([, attribute]) => !tag.includes(`${attribute}:`))
        .filter(([, , value]) => !NOT_WORDS.has(value!))
        .map(([, attribute, value]) => `${attribute}="${value}"`),
    );
    expect(unmarkedAttributes).toEqual([]);
  });
});

/** Literals that are no one's words: key names, CSS, MIME types, storage keys and the like look like code, not prose. */
function looksLikeProse(text: string): boolean {
  // Class lists ("btn btn-ghost"), selectors and media queries.
  const tokens = text.trim().split(/\s+/);
  if (tokens.every((token) => /^[a-z][a-z0-9-]*$/.test(token)) && tokens.some((token) => token.includes('-'))) return false;
  if (/^\(|\[/.test(text)) return false;
  const words = text.match(/[A-Za-z’']{2,}/g) ?? [];
  if (words.length === 0) return false;
  if (/[’…]/.test(text)) return true;
  if (words.length === 1) return /^[A-Z][a-z]+[.!?:]?$/.test(text.trim()) && !/^(Enter|Escape|Backspace|Tab|Home|End|ArrowUp|ArrowDown|Bearer)$/.test(text.trim());
  return /[A-Za-z]{2,}[,.!?:]?\s+[A-Za-z]{2,}/.test(text);
}

describe('the views’ code', () => {
  /** Operator console (English only, for operators) and the i18n module itself (language names). */
  const SKIPPED = [path.join('web', 'src', 'admin'), path.join('web', 'src', 'i18n')];
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return SKIPPED.some((skip) => full.endsWith(skip)) ? [] : files(full);
      return entry.name.endsWith('.ts') ? [full] : [];
    });

  test('no user-visible English literal is left outside the resource files', () => {
    const found: string[] = [];
    for (const file of files(path.join(WEB, 'src'))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) || ts.isLiteralTypeNode(node)) return;
        if (ts.isNewExpression(node) && node.expression.getText() === 'Error') return;
        if (ts.isCallExpression(node) && /^console\./.test(node.expression.getText())) return;
        const texts = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
          ? [node.text]
          : ts.isTemplateExpression(node)
            ? [node.head.text, ...node.templateSpans.map((span) => span.literal.text)]
            : [];
        for (const text of texts) {
          if (looksLikeProse(text)) found.push(`${path.relative(WEB, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${text}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});
