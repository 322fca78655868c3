import { MAX_MENTIONS, resolveMentions } from '../../src/rooms/mentions';

const names = ['Ada', 'Ada Lovelace', 'Bo', 'José', 'x_1'];

test('an @ followed by a member name, at a word end, mentions that member, the longest name first', () => {
  expect(resolveMentions('hi @ada and @Ada Lovelace!', names)).toEqual(['Ada', 'Ada Lovelace']);
  expect(resolveMentions('@Ada Lovelacey', names)).toEqual(['Ada']);
  expect(resolveMentions('@josé, @X_1.', names)).toEqual(['José', 'x_1']);
});

test('no mention inside a word, of a partial name, of a name not in the room, or twice', () => {
  expect(resolveMentions('mail ada@Bo or @Bob or @Zed', names)).toEqual([]);
  expect(resolveMentions('@Bo @bo @BO', names)).toEqual(['Bo']);
  expect(resolveMentions('no at sign', names)).toEqual([]);
  expect(resolveMentions('@Ada', [])).toEqual([]);
});

test('a message mentions at most MAX_MENTIONS names', () => {
  const many = Array.from({ length: MAX_MENTIONS + 5 }, (_, i) => `m${i}`);
  expect(resolveMentions(many.map((n) => `@${n}`).join(' '), many)).toHaveLength(MAX_MENTIONS);
});
