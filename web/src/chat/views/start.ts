/** The start screen: a short explanation, the interests field and the Start button. */
import type { ChatActions } from '../chat-controller';
import { byTestId, setMessage } from '../../app/dom';
import { createInterestsField, type InterestsField } from '../interests';
import { saveInterests } from '../saved-interests';
import type { Settings } from '../../app/settings';
import type { AppState, Store } from '../../app/state';
import { t } from '../../i18n/i18n';
import { loadVideo } from '../../video/loader';

function noticeFor(state: AppState): string | null {
  switch (state.endReason) {
    case 'you-left':
      return t('start.you_left');
    case 'you-blocked':
      return t('start.you_blocked');
    case 'you-reported':
      return t('start.you_reported');
    case 'state-lost':
      return t('start.state_lost');
    default:
      return null;
  }
}

export function mountStart(store: Store, actions: ChatActions, settings: Settings): InterestsField {
  const form = byTestId<HTMLFormElement>('start-form');
  const start = byTestId<HTMLButtonElement>('start');
  const notice = byTestId('start-notice');
  const error = byTestId('start-error');
  const clear = byTestId<HTMLButtonElement>('interests-clear');
  const video = byTestId<HTMLInputElement>('mode-video');
  // Picking video fetches its code at once, so Start does not wait for it.
  video.addEventListener('change', () => void loadVideo().catch(() => undefined));

  const hint = byTestId('interests-hint');
  hint.textContent = t('start.interests_hint', { max: settings.maxInterests });

  const field = createInterestsField({
    input: byTestId<HTMLInputElement>('interests-input'),
    list: byTestId<HTMLUListElement>('interest-chips'),
    hint,
    max: settings.maxInterests,
    maxLength: settings.maxInterestLength,
    onSubmit: () => form.requestSubmit(),
    onChange: (values) => {
      saveInterests(values);
      clear.hidden = values.length === 0;
    },
  });
  field.set(store.get().interests);

  clear.addEventListener('click', () => {
    field.set([]);
    store.set({ interests: [] });
    field.focus();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (start.disabled) return;
    // A new try: what the last one said (a camera refusal, say) goes.
    setMessage(error, null);
    // Video: the camera and microphone first, so a refusal is said here, before anyone is met.
    if (video.checked && !(await loadVideo().then((v) => v.prepare(), () => (setMessage(error, t('video.unavailable')), false)))) return;
    actions.start(field.values(), video.checked ? 'video' : 'text');
  });

  store.subscribe((state, previous) => {
    const ready = state.link === 'online';
    start.disabled = !ready;
    start.textContent = ready ? t('start.start') : t('status.connecting');
    setMessage(notice, state.phase === 'idle' ? noticeFor(state) : null);
    // Only when the error itself changed: a camera refusal said here (not in the store) stays through
    // unrelated updates, such as the figures of online-count.
    if (state === previous || state.error !== previous.error) setMessage(error, state.error?.scope === 'start' ? state.error.text : null);
    if (state.interests !== previous.interests) field.set(state.interests);
  });

  return field;
}
