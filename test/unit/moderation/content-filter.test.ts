import { filterText, judgeText } from '../../../src/moderation/content-filter';

test('off lets everything through unchanged', () => {
  expect(judgeText('what the fuck', 'off')).toEqual({ kind: 'clean', text: 'what the fuck' });
});

test('mask replaces the listed words with asterisks and keeps the rest', () => {
  expect(judgeText('you are a fucking idiot', 'mask')).toEqual({ kind: 'masked', text: 'you are a ****ing idiot' });
  expect(filterText('what a dick', 'mask')).toBe('what a ****');
});

test('the filter sees through leetspeak and look-alike characters', () => {
  expect(judgeText('sh1t happens', 'mask')).toEqual({ kind: 'masked', text: '**** happens' });
  expect(judgeText('ｆｕｃｋ you', 'block')).toEqual({ kind: 'blocked' });
});

test('clean text and innocent words that contain a listed one pass', () => {
  for (const text of ['Scunthorpe is a town', 'hello assassin', 'I like classic music', 'Sussex is nice']) {
    expect(judgeText(text, 'block')).toEqual({ kind: 'clean', text });
  }
});

test('block refuses with CONTENT_BLOCKED', () => {
  expect(() => filterText('fuck off', 'block')).toThrow(expect.objectContaining({ code: 'CONTENT_BLOCKED' }));
  expect(filterText('good morning', 'block')).toBe('good morning');
});
