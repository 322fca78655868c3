/**
 * The interests field: typed words become chips. Enter or comma adds one,
 * Backspace in an empty field removes the last, pasted lists are split.
 */
import { el, userText } from '../app/dom';
import { t } from '../i18n/i18n';

/** Trims, collapses spaces and lower-cases, as the server does; '' when nothing is left. */
export function normalizeInterest(raw: string, maxLength: number): string {
  return raw.replace(/\s+/g, ' ').trim().toLowerCase().slice(0, maxLength).trim();
}

export interface InterestsField {
  /** The chips, in the order added. Any text still in the box is added first. */
  values(): string[];
  set(values: readonly string[]): void;
  focus(): void;
}

export interface InterestsFieldOptions {
  input: HTMLInputElement;
  list: HTMLUListElement;
  hint: HTMLElement;
  max: number;
  /** Longest single interest. */
  maxLength: number;
  /** Called when Enter is pressed in an empty box (submits the form). */
  onSubmit: () => void;
  /** Called with the chips whenever they change. */
  onChange?: (values: readonly string[]) => void;
}

export function createInterestsField({ input, list, hint, max, maxLength, onSubmit, onChange }: InterestsFieldOptions): InterestsField {
  let items: string[] = [];
  const defaultHint = hint.textContent ?? '';

  const render = () => {
    list.replaceChildren(
      ...items.map((item) => {
        const chip = el('li', 'chip');
        chip.dataset.testid = 'interest-chip';
        chip.append(userText('span', 'chip-text', item));
        const remove = el('button', 'chip-remove', '×');
        remove.type = 'button';
        remove.setAttribute('aria-label', t('interests.remove', { interest: item }));
        remove.addEventListener('click', () => {
          items = items.filter((x) => x !== item);
          render();
          input.focus();
        });
        chip.append(remove);
        return chip;
      }),
    );
    list.hidden = items.length === 0;
    const full = items.length >= max;
    input.placeholder = full ? '' : items.length ? t('interests.add_another') : t('page.music_films_chess');
    hint.textContent = full ? t('interests.full', { max }) : defaultHint;
    onChange?.([...items]);
  };

  /** Adds every comma-separated word in `text`; returns false if some did not fit. */
  const add = (text: string): boolean => {
    let fitted = true;
    for (const part of text.split(',')) {
      const value = normalizeInterest(part, maxLength);
      if (!value || items.includes(value)) continue;
      if (items.length >= max) {
        fitted = false;
        continue;
      }
      items.push(value);
    }
    render();
    return fitted;
  };

  const commit = () => {
    if (!input.value.trim()) return;
    add(input.value);
    input.value = '';
  };

  input.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      if (input.value.trim()) commit();
      else onSubmit();
    } else if (event.key === ',') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Backspace' && input.value === '' && items.length > 0) {
      event.preventDefault();
      items.pop();
      render();
    }
  });

  // Mobile keyboards often send commas without a usable keydown, and pastes carry lists.
  input.addEventListener('input', () => {
    if (!input.value.includes(',')) return;
    const parts = input.value.split(',');
    const rest = parts.pop() ?? '';
    add(parts.join(','));
    input.value = rest.trimStart();
  });

  input.addEventListener('blur', commit);

  // A click anywhere on the field focuses the text box, as in a plain input.
  list.parentElement?.addEventListener('click', (event) => {
    if (event.target === list.parentElement || event.target === list) input.focus();
  });

  render();

  return {
    values() {
      commit();
      return [...items];
    },
    set(values) {
      items = [];
      add(values.join(','));
    },
    focus: () => input.focus(),
  };
}
