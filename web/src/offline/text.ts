/** The words the offline banner shows, from the page's messages (web/locales). */
import { t } from '../i18n/i18n';

export const OFFLINE_TEXT = {
  /** The banner's first words, while the device has no network. */
  title: () => t('offline.title'),
  /** What happens next: nothing for the person to do. */
  detail: () => t('offline.detail'),
} as const;
