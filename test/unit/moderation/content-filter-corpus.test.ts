/**
 * The content filter against its corpus (test/fixtures/filter/, described in docs/moderation.md):
 * fewer than 0.5 % of everyday sentences altered, more than 95 % of the abuse list caught.
 * The *-holdout.txt files were written after the filter was tuned on the others; their rates are
 * printed apart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { judgeText } from '../../../src/moderation/content-filter';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'filter');

function lines(file: string): string[] {
  return readFileSync(path.join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

const everyday = {
  tuned: [...lines('everyday-written.txt'), ...lines('everyday-generated.txt')],
  holdout: lines('everyday-holdout.txt'),
};
const abuse = { tuned: [...lines('abuse-written.txt'), ...lines('abuse-generated.txt')], holdout: lines('abuse-holdout.txt') };

const altered = (text: string) => judgeText(text, 'mask').kind !== 'clean';
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)} % (${part} of ${whole})`;
/** The share of `set`'s lines the filter altered, per part of the corpus. */
const rates = (set: { tuned: string[]; holdout: string[] }) =>
  `tuned set ${percent(set.tuned.filter(altered).length, set.tuned.length)}, ` +
  `holdout ${percent(set.holdout.filter(altered).length, set.holdout.length)}`;

test('fewer than 0.5 % of everyday sentences are altered and more than 95 % of the abuse list is caught', () => {
  const everydayAll = [...everyday.tuned, ...everyday.holdout];
  const abuseAll = [...abuse.tuned, ...abuse.holdout];
  const falsePositives = everydayAll.filter(altered);
  const caught = abuseAll.filter(altered);
  console.log(
    [
      `everyday sentences altered: ${percent(falsePositives.length, everydayAll.length)}`,
      `  ${rates(everyday)}`,
      `abuse caught: ${percent(caught.length, abuseAll.length)}`,
      `  ${rates(abuse)}`,
      `altered everyday: ${JSON.stringify(falsePositives)}`,
      `missed abuse: ${JSON.stringify(abuseAll.filter((text) => !altered(text)))}`,
    ].join('\n'),
  );
  expect(everydayAll.length).toBeGreaterThanOrEqual(2000);
  expect(falsePositives.length / everydayAll.length).toBeLessThan(0.005);
  expect(caught.length / abuseAll.length).toBeGreaterThan(0.95);
});
