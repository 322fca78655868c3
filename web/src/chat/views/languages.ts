/**
 * The languages control of the start screen: the languages a person chats
 * in (the browser's by default, as codes they may edit, shown by name) and
 * "also meet people in other languages if nobody speaks mine". Built here,
 * inserted into the start form before its error line; every string it shows
 * comes from the page's messages (web/locales), through STRINGS below.
 */
import { byTestId, el } from '../../app/dom';
import { formatList } from '../../app/format';
import { intlLocale, t } from '../../i18n/i18n';
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
  label: () => t('start.languages_label'),
  placeholder: () => t('start.languages_placeholder'),
  /** Shown under the field: the languages by name, or how to fill it. */
  names: (names: string) => t('start.languages_names', { names }),
  empty: () => t('start.languages_empty'),
  invalid: (codes: string) => t('start.languages_invalid', { codes }),
  tooMany: () => t('start.languages_too_many', { max: MAX_LANGUAGES }),
  anyLanguage: () => t('start.languages_any'),
  anyLanguageHint: () => t('start.languages_any_hint', { seconds: ANY_LANGUAGE_AFTER_MS / 1000 }),
  /** Joins language names: "English, German and Portuguese", in the page's language. */
  list: (names: string[]) => formatList(names),
  /** A language's name in the page's language, or its code. */
  name: (code: string) => {
    try {
      return new Intl.DisplayNames([intlLocale()], { type: 'language' }).of(code) ?? code;
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

  const label = el('label', 'field-label', STRINGS.label());
  label.htmlFor = 'languages';
  const input = el('input', 'field');
  Object.assign(input, { id: 'languages', type: 'text', autocomplete: 'off', spellcheck: false, placeholder: STRINGS.placeholder() });
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
  anyLabel.append(anyBox, el('span', undefined, STRINGS.anyLanguage()));
  const anyHint = el('p', 'hint');
  anyHint.id = 'languages-any-hint';
  anyHint.textContent = STRINGS.anyLanguageHint();

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
      hint.textContent = 'invalid' in parsed ? STRINGS.invalid(parsed.invalid.join(', ')) : STRINGS.tooMany();
      hint.dataset.level = 'error';
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    delete hint.dataset.level;
    input.removeAttribute('aria-invalid');
    hint.textContent = parsed.languages.length ? STRINGS.names(STRINGS.list(parsed.languages.map(STRINGS.name))) : STRINGS.empty();
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
