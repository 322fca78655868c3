/**
 * Link detection for the early-chat link hold: spam bots paste a link as soon
 * as a chat starts. What counts as a link:
 * - anything with a scheme: `http://…`, `https://…`, `ftp://…` (any `word://`);
 * - anything starting with `www.`;
 * - a bare domain `label.tld` (any number of labels) whose last label is one
 *   of the top-level domains in COMMON_TLDS (e.g. `example.com`, `t.me/x`,
 *   `bit.ly`, `discord.gg`), with or without a path;
 * - a dotted IPv4 address (`1.2.3.4`, `1.2.3.4:8080/x`).
 * Matching ignores case. A dot followed by a space (`end. com`) is not a link,
 * so ordinary sentences pass; a word joined to a listed TLD (`fine.so`) is a
 * link by this rule, which for the first half-minute of a chat is acceptable.
 */

/** Top-level domains counted in bare domains: the common generic ones and the ccTLDs spam favours. */
export const COMMON_TLDS = [
  'com', 'net', 'org', 'info', 'biz', 'io', 'co', 'me', 'ly', 'gg', 'tv', 'to', 'cc', 'ws', 'xyz', 'top', 'site',
  'online', 'app', 'dev', 'link', 'click', 'live', 'fun', 'club', 'shop', 'store', 'vip', 'pro', 'icu', 'win',
  'bid', 'buzz', 'cam', 'chat', 'dating', 'porn', 'sex', 'xxx', 'adult', 'tk', 'ml', 'ga', 'cf', 'gq', 'ru', 'su',
  'ua', 'cn', 'uk', 'us', 'de', 'fr', 'nl', 'it', 'es', 'pl', 'br', 'in', 'jp', 'kr', 'au', 'ca', 'eu', 'ch', 'se',
  'no', 'fi', 'dk', 'be', 'at', 'cz', 'tr', 'gl', 'be', 'st', 'sh', 'am', 'fm', 'im', 'is', 'la', 'lt', 'lv', 'nu',
  'page', 'space', 'website', 'world', 'today', 'one', 'art', 'blog', 'cloud', 'email', 'host', 'news', 'social',
  'team', 'tech', 'zone', 'onion',
] as const;

const tlds = [...new Set(COMMON_TLDS)].join('|');

const SCHEME = /\b[a-z][a-z0-9+.-]*:\/\/\S/i;
const WWW = /(^|[^a-z0-9-])www\.[a-z0-9-]/i;
const BARE_DOMAIN = new RegExp(`(^|[^a-z0-9@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${tlds})(?![a-z0-9-])`, 'i');
const IPV4 = /(^|[^0-9.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9.]*[0-9])/;

/** True when `text` holds something that opens a web page. */
export function containsLink(text: string): boolean {
  return SCHEME.test(text) || WWW.test(text) || BARE_DOMAIN.test(text) || IPV4.test(text);
}
