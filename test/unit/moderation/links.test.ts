import { containsLink } from '../../../src/moderation/links';

test.each([
  'https://example.com',
  'see http://x.y/path?q=1',
  'ftp://files.example.org',
  'go to www.example',
  'WWW.Spam.biz now',
  'example.com',
  'visit example.com/free',
  'join t.me/freestuff',
  'discord.gg/abc',
  'bit.ly/xyz',
  'sub.domain.co.uk',
  'my site is cool-site.xyz.',
  '(example.net)',
  '1.2.3.4',
  'http at 10.0.0.1:8080/x',
])('%s is a link', (text) => {
  expect(containsLink(text)).toBe(true);
});

test.each([
  'hello there',
  'I am fine. com on', // a space after the dot: a sentence, not a domain
  'e.g. this',
  'version 1.2.3',
  'it costs 3.50',
  'mail me at bob@example.com',
  'hello.there',
  'end of sentence.Next one',
  'the file is notes.txt',
  'ratio 1:2',
])('%s is not a link', (text) => {
  expect(containsLink(text)).toBe(false);
});
