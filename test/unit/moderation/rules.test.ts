import { MemoryStore } from '../../../src/store/memory/match-store';
import { checkVersion, loadRules, parseRules } from '../../../src/moderation/rules';
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
  expect(checkVersion(parseRules(TEXT), a)).toBe('current');
  expect(checkVersion(parseRules(TEXT), 'abcdef012345')).toBe('outdated');
});

test('the shipped rules file loads', () => {
  const rules = loadRules();
  expect(rules.blocks[0]).toMatchObject({ kind: 'heading', level: 1 });
  expect(rules.blocks.some((b) => b.kind === 'item')).toBe(true);
});

describe('the gate', () => {
  const rules = parseRules(TEXT);

  test('refuses an identity until it accepts the current version', async () => {
    const gate = new RulesGate(rules, new MemoryStore(), { enabled: true, minAge: 18 });
    await expect(gate.require('u1')).rejects.toMatchObject({ code: 'RULES_NOT_ACCEPTED', message: expect.stringContaining('18') });
    await gate.accept('u1', rules.version, 0);
    await expect(gate.require('u1')).resolves.toBeUndefined();
    await expect(gate.require('u2')).rejects.toMatchObject({ code: 'RULES_NOT_ACCEPTED' });
  });

  test('an outdated version is refused and does not count', async () => {
    const gate = new RulesGate(rules, new MemoryStore(), { enabled: true, minAge: 18 });
    await expect(gate.accept('u1', 'abcdef012345', 0)).rejects.toMatchObject({ code: 'RULES_NOT_ACCEPTED' });
    expect(await gate.accepted('u1')).toBe(false);
  });

  test('an acceptance of older rules stops counting once the rules change', async () => {
    const store = new MemoryStore();
    await new RulesGate(rules, store, { enabled: true, minAge: 18 }).accept('u1', rules.version, 0);
    const edited = new RulesGate(parseRules(`${TEXT}\n- three\n`), store, { enabled: true, minAge: 18 });
    expect(await edited.accepted('u1')).toBe(false);
  });

  test('switched off, it lets everyone through', async () => {
    const gate = new RulesGate(rules, new MemoryStore(), { enabled: false, minAge: 18 });
    await expect(gate.require('anyone')).resolves.toBeUndefined();
  });
});
