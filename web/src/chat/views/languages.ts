/**
 * The languages control of the start screen: the languages a person chats
 * in (the browser's by default, as codes they may edit, shown by name) and
 * "also meet people in other languages if nobody speaks mine". Built here,
 * inserted into the start form before its error line; every string it shows
 * is in STRINGS below.
 */
import { byTestId, el } from '../../app/dom';
import {
  ANY_LANGUAGE_AFTER_MS,
  MAX_LANGUAGES,
  languagePayload,
  parseLanguages,
  readLanguageChoice,
  saveLanguageChoice,
  type LanguageChoice,
  type LanguagePayload,
} from '../languages';

const STRINGS = {
  label: 'Languages you chat in',
  placeholder: 'en, de, pt',
  /** Shown under the field: the languages by name, or how to fill it. */
  names: (names: string) => `You’ll meet people who speak ${names}.`,
  empty: 'Empty: you’ll meet people who don’t mind which language.',
  invalid: (parts: string) => `Not a language code: ${parts}. Use codes like en, es or pt-BR.`,
  tooMany: `Up to ${MAX_LANGUAGES} languages.`,
  anyLanguage: 'Also meet people in other languages if nobody speaks mine',
  anyLanguageHint: `After ${ANY_LANGUAGE_AFTER_MS / 1000} seconds with nobody who speaks yours.`,
  /** Joins language names: "English, German and Portuguese". */
  list: (names: string[]) => new Intl.ListFormat('en', { type: 'conjunction' }).format(names),
  /** A language's name in the page's language, or its code. */
  name: (code: string) => {
    try {
      return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  },
} as const;

export interface LanguagesControl {
  /** What a search sends for the current choice. */
  payload(): LanguagePayload;
}

/** Mounts the control in the start form; `browser` is navigator.languages. */
export function mountLanguages(browser: readonly string[]): LanguagesControl {
  const form = byTestId<HTMLFormElement>('start-form');
  let choice: LanguageChoice = readLanguageChoice(browser);

  const label = el('label', 'field-label', STRINGS.label);
  label.htmlFor = 'languages';
  const input = el('input', 'field');
  Object.assign(input, { id: 'languages', type: 'text', autocomplete: 'off', spellcheck: false, placeholder: STRINGS.placeholder });
  input.setAttribute('autocapitalize', 'none');
  input.setAttribute('aria-describedby', 'languages-hint');
  input.dataset.testid = 'languages-input';
  input.value = choice.languages.join(', ');
  const hint = el('p', 'hint');
  hint.id = 'languages-hint';
  hint.dataset.testid = 'languages-hint';

  const anyBox = el('input');
  anyBox.type = 'checkbox';
  anyBox.dataset.testid = 'languages-any';
  anyBox.checked = choice.anyLanguage;
  anyBox.setAttribute('aria-describedby', 'languages-any-hint');
  const anyLabel = el('label', 'languages-any');
  anyLabel.append(anyBox, el('span', undefined, STRINGS.anyLanguage));
  const anyHint = el('p', 'hint');
  anyHint.id = 'languages-any-hint';
  anyHint.textContent = STRINGS.anyLanguageHint;

  const group = el('div', 'languages-field');
  group.dataset.testid = 'languages-field';
  const row = el('div', 'field-label-row');
  row.append(label);
  group.append(row, input, hint, anyLabel, anyHint);
  form.insertBefore(group, byTestId('start-error', form));

  const save = (next: LanguageChoice) => {
    choice = next;
    saveLanguageChoice(choice);
    anyLabel.hidden = anyHint.hidden = choice.languages.length === 0;
  };
  /** Reads the field; a mistake is shown and the last good choice kept. */
  const read = () => {
    const parsed = parseLanguages(input.value);
    if (!parsed.ok) {
      hint.textContent = 'invalid' in parsed ? STRINGS.invalid(parsed.invalid.join(', ')) : STRINGS.tooMany;
      hint.dataset.level = 'error';
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    delete hint.dataset.level;
    input.removeAttribute('aria-invalid');
    hint.textContent = parsed.languages.length ? STRINGS.names(STRINGS.list(parsed.languages.map(STRINGS.name))) : STRINGS.empty;
    save({ ...choice, languages: parsed.languages });
  };
  input.addEventListener('input', read);
  input.addEventListener('blur', () => {
    if (!input.hasAttribute('aria-invalid')) input.value = choice.languages.join(', ');
  });
  anyBox.addEventListener('change', () => save({ ...choice, anyLanguage: anyBox.checked }));
  read();

  return { payload: () => languagePayload(choice) };
}
