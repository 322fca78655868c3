/** The web client's languages choice: defaults from the browser, typed codes, the payload, and what is kept. */
import {
  ANY_LANGUAGE_AFTER_MS,
  browserLanguages,
  languagePayload,
  parseLanguages,
  readLanguageChoice,
  saveLanguageChoice,
} from '../../web/src/chat/languages';
import { memoryStorage } from './memory-storage';

test('the browser’s languages become the first 3 distinct primary subtags', () => {
  expect(browserLanguages(['pt-BR', 'pt', 'en-US', 'en', 'es', 'fr'])).toEqual(['pt', 'en', 'es']);
  expect(browserLanguages(['zh-Hant-TW', 'not a tag', 'ar-EG'])).toEqual(['zh', 'ar']);
  expect(browserLanguages([])).toEqual([]);
});

test('typed codes are read leniently, and mistakes are named', () => {
  expect(parseLanguages('de, PT-br  en')).toEqual({ ok: true, languages: ['de', 'pt', 'en'] });
  expect(parseLanguages('pt-BR, pt-PT')).toEqual({ ok: true, languages: ['pt'] });
  expect(parseLanguages('')).toEqual({ ok: true, languages: [] });
  expect(parseLanguages('de, en_US, ??')).toEqual({ ok: false, invalid: ['en_US', '??'] });
  expect(parseLanguages('de en fr es')).toEqual({ ok: false, tooMany: true });
});

test('the payload names the languages, and the opt-in as a wait; no languages sends nothing', () => {
  expect(languagePayload({ languages: ['de'], anyLanguage: true })).toEqual({ languages: ['de'], anyLanguageAfterMs: ANY_LANGUAGE_AFTER_MS });
  expect(languagePayload({ languages: ['de'], anyLanguage: false })).toEqual({ languages: ['de'] });
  expect(languagePayload({ languages: [], anyLanguage: true })).toEqual({});
});

test('the choice is kept; without one (or with a damaged one) the browser’s languages, the opt-in off, are the default', () => {
  const store = memoryStorage();
  expect(readLanguageChoice(['hi-IN', 'en'], store)).toEqual({ languages: ['hi', 'en'], anyLanguage: false });
  saveLanguageChoice({ languages: ['ar'], anyLanguage: false }, store);
  expect(readLanguageChoice(['hi-IN'], store)).toEqual({ languages: ['ar'], anyLanguage: false });
  store.data.set('parley.languages', '{"languages":"ar"}');
  expect(readLanguageChoice(['es'], store)).toEqual({ languages: ['es'], anyLanguage: false });
  store.data.set('parley.languages', 'not json');
  expect(readLanguageChoice(['es'], store)).toEqual({ languages: ['es'], anyLanguage: false });
});
