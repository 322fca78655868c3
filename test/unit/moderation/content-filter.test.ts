import { filterText, judgeText, refuseFiltered } from '../../../src/moderation/content-filter';

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

test('letters pulled apart, hidden behind stars, stretched or split by invisible characters are caught, and masked as typed', () => {
  expect(filterText('f u c k you', 'mask')).toBe('******* you');
  expect(filterText('what a s.h.i.t day', 'mask')).toBe('what a ******* day');
  expect(filterText('you c*nt', 'mask')).toBe('you ****');
  expect(filterText('shut up a**hole', 'mask')).toBe('shut up *******');
  expect(filterText('coooock', 'mask')).toBe('*******');
  expect(filterText('f\u200Buck off', 'mask')).toBe('***** off');
  expect(filterText('c0ck!!!', 'mask')).toBe('****!!!');
});

test('numbers are never read as letters', () => {
  const numbers = ['I live at 455 Main St', 'call 0800 455 455', 'it was £4.55', 'the 717 bus', 'order #4455-4559', 'the 45s', 'take the A55', 'LS3 4SS', 'message a22 of the test', 'b2b sales', 'seat a222'];
  for (const text of numbers) expect(judgeText(text, 'block')).toEqual({ kind: 'clean', text });
  let masked = 0;
  for (let n = 0; n < 100_000; n++) if (judgeText(`I live at ${n} Main St`, 'mask').kind !== 'clean') masked++;
  expect(masked).toBe(0);
});

test('digits inside words still read as letters', () => {
  expect(filterText('a55hole', 'mask')).toBe('***hole');
  expect(judgeText('5h1t', 'block')).toEqual({ kind: 'blocked' });
});

test('clean text and innocent words that contain or look like a listed one pass', () => {
  const innocent = [
    'Scunthorpe is a town', 'hello assassin', 'I like classic music', 'Sussex is nice', 'the cockpit door', 'my therapist',
    'cocktail hour', 'data analysis', 'shiitake risotto', 'press the button', 'Matt Hancock', 'a pinch of cumin',
    'rapeseed oil', 'Emily Dickinson', 'Cockfosters station', 'a Negroni please',
  ];
  for (const text of innocent) expect(judgeText(text, 'block')).toEqual({ kind: 'clean', text });
});

test('Dick written as a name is a name; written as an insult it is not', () => {
  for (const text of ['Dick is coming at 8', 'ask Uncle Dick', 'Moby Dick', "that's Dick's car"]) {
    expect(judgeText(text, 'block')).toEqual({ kind: 'clean', text });
  }
  expect(filterText('you Dick', 'mask')).toBe('you ****');
  expect(filterText('what a DICK', 'mask')).toBe('what a ****');
});

test('block refuses with CONTENT_BLOCKED', () => {
  expect(() => filterText('fuck off', 'block')).toThrow(expect.objectContaining({ code: 'CONTENT_BLOCKED' }));
  expect(filterText('good morning', 'block')).toBe('good morning');
});

test('refuseFiltered never masks: it passes a name unchanged or refuses it, under mask and block alike', () => {
  expect(refuseFiltered('Cockpit crew', 'mask')).toBe('Cockpit crew');
  expect(refuseFiltered('Dick', 'block')).toBe('Dick');
  for (const policy of ['mask', 'block'] as const) {
    expect(() => refuseFiltered('sh1t talkers', policy)).toThrow(expect.objectContaining({ code: 'CONTENT_BLOCKED' }));
  }
  expect(refuseFiltered('sh1t talkers', 'off')).toBe('sh1t talkers');
});
