/** The ban that refused this page, read off the server's answers, and how to put it in words. */
import { intlLocale, t } from '../i18n/i18n';

/** A ban as the page knows it: until when (epoch ms), null for no end, undefined while not known yet. */
export interface BanInfo {
  until?: number | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The ban behind a refused connection, or null when the refusal is something
 * else: the client's `connect_error` (a ParleyError whose `code` is BANNED and
 * `data` is `{ until }`) or the handshake's own error (`data` is
 * `{ code: "BANNED", until }`).
 */
export function banOf(error: unknown): BanInfo | null {
  if (!isRecord(error)) return null;
  const data = error.data;
  if (!isRecord(data) || (error.code !== 'BANNED' && data.code !== 'BANNED')) return null;
  const until = typeof data.until === 'number' && Number.isFinite(data.until) ? data.until : null;
  return { until };
}

/** "until 3 December 2026, 14:05", "permanently", or, once over, that it ended. */
export function banText(ban: BanInfo, now: number, locale?: string): { headline: string; detail: string; over: boolean } {
  if (ban.until === undefined) {
    return {
      headline: t('banned.headline'),
      detail: t('banned.detail'),
      over: false,
    };
  }
  if (ban.until === null) {
    return {
      headline: t('banned.headline_permanent'),
      detail: t('banned.detail_permanent'),
      over: false,
    };
  }
  if (ban.until <= now) {
    return {
      headline: t('banned.ended'),
      detail: t('banned.ended_detail'),
      over: true,
    };
  }
  const when = new Date(ban.until).toLocaleString(locale ?? intlLocale(), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return {
    headline: t('banned.headline_until', { when }),
    detail: t('banned.detail_until'),
    over: false,
  };
}
