/**
 * The rules and age gate at first start: a dialog with the rules in the page's
 * language (from /rules?lang=), an "I am at least N" checkbox and Accept, which
 * sends `accept-rules` with the version of the text shown (each language's text
 * has its own). The acceptance is remembered per identity with that version; on
 * every later connection it is sent again quietly (it is idempotent), so the
 * server holds it even after its data was reset. Changed rules (the server
 * refuses the remembered version) ask again.
 *
 * What needs the acceptance (joining the room of an invite link) waits for
 * `accepted()`; once the dialog is answered, focus goes to the first control
 * of the screen the person came for (`onAnswered`), not back to the page.
 */
import { settle, type ParleyClient } from '../app/connection';
import { byTestId, el, setMessage } from '../app/dom';
import { describe } from '../app/errors';
import type { Settings } from '../app/settings';
import { language, t } from '../i18n/i18n';

const key = (userId: string) => `parley.rules.${userId}`;

function remembered(userId: string): string | null {
  try {
    return localStorage.getItem(key(userId));
  } catch {
    return null;
  }
}

function remember(userId: string, version: string): void {
  try {
    localStorage.setItem(key(userId), version);
  } catch {
    /* storage disabled: the page asks again next time */
  }
}

interface RulesJson {
  version: string;
  blocks: { kind: 'heading' | 'paragraph' | 'item'; text: string }[];
}

/** Shows the rules in the page's language; resolves with the version of the text shown, or null if it could not be loaded. */
async function renderRules(target: HTMLElement): Promise<string | null> {
  try {
    const res = await fetch(`/rules?lang=${encodeURIComponent(language())}`, { headers: { accept: 'application/json' } });
    const { version, blocks } = (await res.json()) as RulesJson;
    target.replaceChildren();
    let list: HTMLUListElement | null = null;
    for (const block of blocks) {
      if (block.kind === 'item') {
        if (!list) target.append((list = el('ul', 'rules-list')));
        list.append(el('li', undefined, block.text));
        continue;
      }
      list = null;
      // The page has its own title; the rules' headings sit below it.
      target.append(block.kind === 'heading' ? el('h3', 'rules-heading', block.text) : el('p', 'rules-paragraph', block.text));
    }
    return version;
  } catch {
    target.replaceChildren(el('p', 'rules-paragraph', t('rules.load_failed')));
    return null;
  }
}

/** A promise with its resolver, and whether it was resolved. */
function waiting(): { promise: Promise<void>; resolve(): void; done: boolean } {
  let settle = () => {};
  const promise = new Promise<void>((resolve) => (settle = resolve));
  const entry = {
    promise,
    done: false,
    resolve() {
      entry.done = true;
      settle();
    },
  };
  return entry;
}

export interface RulesGate {
  /** Resolves once the server holds this identity's acceptance (at once when the gate is off). */
  accepted(): Promise<void>;
}

export function mountRulesGate(client: ParleyClient, settings: Settings, onAnswered: () => void = () => undefined): RulesGate {
  if (!settings.rulesGate || !settings.rulesVersion) return { accepted: () => Promise.resolve() };
  let acceptance = waiting();
  // The version of the text on show: the English rules' until the page's language is loaded.
  let shown: Promise<string | null> | null = null;
  const dialog = byTestId<HTMLDialogElement>('rules-dialog');
  const text = byTestId('rules-text');
  const age = byTestId<HTMLInputElement>('rules-age');
  const accept = byTestId<HTMLButtonElement>('rules-accept');
  const error = byTestId('rules-error');
  byTestId('rules-age-label').textContent = t('rules.age', { age: settings.minAge });
  byTestId<HTMLAnchorElement>('rules-link').href = `/rules?lang=${encodeURIComponent(language())}`;
  let userId: string | null = null;

  const send = (version: string) => settle(() => client.request('accept-rules', { version, ageConfirmed: true }));

  const open = () => {
    if (dialog.open) return;
    age.checked = false;
    accept.disabled = true;
    setMessage(error, null);
    shown ??= renderRules(text);
    dialog.showModal();
  };

  // The gate stays until it is answered.
  dialog.addEventListener('cancel', (event) => event.preventDefault());
  age.addEventListener('change', () => {
    accept.disabled = !age.checked;
  });
  accept.addEventListener('click', async (event) => {
    event.preventDefault();
    if (!age.checked || !userId) return;
    accept.disabled = true;
    const version = (await shown) ?? settings.rulesVersion;
    const outcome = await send(version);
    if (outcome.ok) {
      remember(userId, version);
      dialog.close();
      acceptance.resolve();
      onAnswered();
      return;
    }
    accept.disabled = false;
    // The rules changed while the dialog was open: show the new text, whose version the next Accept sends.
    if (outcome.problem === 'RULES_NOT_ACCEPTED') shown = renderRules(text);
    setMessage(error, describe(outcome.problem));
  });

  client.on('session', ({ userId: id }) => {
    // Another identity (a recovery key, a deleted one) has to accept for itself.
    if (userId !== null && userId !== id && acceptance.done) acceptance = waiting();
    userId = id;
    const accepted = remembered(id);
    if (!accepted) return open();
    void send(accepted).then((outcome) => {
      if (!outcome.ok && outcome.problem === 'RULES_NOT_ACCEPTED') return open();
      // Anything else (a timeout) is not a refusal: what waits goes ahead and reports its own errors.
      acceptance.resolve();
    });
  });

  return { accepted: () => acceptance.promise };
}
