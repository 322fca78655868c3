import { MemoryStore } from '../../../src/store/memory/match-store';
import { checkVersion, loadRules, parseRules, rulesIn, rulesOf } from '../../../src/moderation/rules';
import { RulesGate } from '../../../src/moderation/rules-gate';

const TEXT = '# Title\n\nFirst line\ncontinues.\n\n## Part\n\n- one\n- two\n\nLast.\n';

test('the rules parse into headings, paragraphs and list items', () => {
  expect(parseRules(TEXT).blocks).toEqual([
    { kind: 'heading', level: 1, text: 'Title' },
    { kind: 'paragraph', text: 'First line continues.' },
    { kind: 'heading', level: 2, text: 'Part' },
    { kind: 'item', text: 'one' },
    { kind: 'item', text: 'two' },
    { kind: 'paragraph', text: 'Last.' },
  ]);
});

test('the version is a short hash of the text: any edit changes it', () => {
  const a = parseRules(TEXT).version;
  expect(a).toMatch(/^[a-f0-9]{12}$/);
  expect(parseRules(TEXT).version).toBe(a);
  expect(parseRules(`${TEXT} `).version).not.toBe(a);
  expect(checkVersion(rulesOf(parseRules(TEXT)), a)).toBe('current');
  expect(checkVersion(rulesOf(parseRules(TEXT)), 'abcdef012345')).toBe('outdated');
});

test('the shipped rules load in English and in each translation, each text with its own version', () => {
  const rules = loadRules();
  expect(rules.language).toBe('en');
  expect(rules.texts.map((text) => text.language)).toEqual(['en', 'ar', 'de', 'es', 'hi', 'pt-BR']);
  for (const text of rules.texts) {
    expect(text.blocks[0]).toMatchObject({ kind: 'heading', level: 1 });
    // Translations keep the English structure, block for block.
    expect(text.blocks.map((b) => b.kind)).toEqual(rules.blocks.map((b) => b.kind));
  }
  expect(new Set(rules.texts.map((text) => text.version)).size).toBe(rules.texts.length);
});

test('a reader gets their language, its base language, or English', () => {
  const rules = rulesOf(parseRules(TEXT), [parseRules('# Titel\n', 'de'), parseRules('# Título\n', 'pt-BR')]);
  expect(rulesIn(rules, 'de').language).toBe('de');
  expect(rulesIn(rules, 'de-AT').language).toBe('de');
  expect(rulesIn(rules, 'pt-PT').language).toBe('pt-BR');
  expect(rulesIn(rules, 'PT-br').language).toBe('pt-BR');
  expect(rulesIn(rules, 'ja').language).toBe('en');
  expect(rulesIn(rules, undefined).language).toBe('en');
});

describe('the gate', () => {
  const rules = rulesOf(parseRules(TEXT), [parseRules('# Regeln\n\n- eins\n', 'de')]);
  const german = rules.texts[1]!;

  test('refuses an identity until it accepts the current version', async () => {
    const gate = new RulesGate(rules, new MemoryStore(), { enabled: true, minAge: 18 });
    await expect(gate.require('u1')).rejects.toMatchObject({ code: 'RULES_NOT_ACCEPTED', message: expect.stringContaining('18') });
    await gate.accept('u1', rules.version, 0);
    await expect(gate.require('u1')).resolves.toBeUndefined();
    await expect(gate.require('u2')).rejects.toMatchObject({ code: 'RULES_NOT_ACCEPTED' });
  });

  test('the current text in any language may be accepted, and the version names the text that was read', async () => {
    const store = new MemoryStore();
    const gate = new RulesGate(rules, store, { enabled: true, minAge: 18 });
    await gate.accept('u1', german.version, 0);
    await expect(gate.require('u1')).resolves.toBeUndefined();
    expect(await store.acceptedRules('u1')).toBe(german.version);
  });

  test('an acceptance of a translation stops counting once that translation changes', async () => {
    const store = new MemoryStore();
    await new RulesGate(rules, store, { enabled: true, minAge: 18 }).accept('u1', german.version, 0);
    const edited = new RulesGate(rulesOf(rules, [parseRules('# Regeln\n\n- eins\n- zwei\n', 'de')]), store, { enabled: true, minAge: 18 });
    expect(await edited.accepted('u1')).toBe(false);
  });

  test('an outdated version is refused and does not count', async () => {
    const gate = new RulesGate(rules, new MemoryStore(), { enabled: true, minAge: 18 });
    await expect(gate.accept('u1', 'abcdef012345', 0)).rejects.toMatchObject({ code: 'RULES_NOT_ACCEPTED' });
    expect(await gate.accepted('u1')).toBe(false);
  });

  test('an acceptance of older rules stops counting once the rules change', async () => {
    const store = new MemoryStore();
    await new RulesGate(rules, store, { enabled: true, minAge: 18 }).accept('u1', rules.version, 0);
    const edited = new RulesGate(rulesOf(parseRules(`${TEXT}\n- three\n`)), store, { enabled: true, minAge: 18 });
    expect(await edited.accepted('u1')).toBe(false);
  });

  test('switched off, it lets everyone through', async () => {
    const gate = new RulesGate(rules, new MemoryStore(), { enabled: false, minAge: 18 });
    await expect(gate.require('anyone')).resolves.toBeUndefined();
  });
});
