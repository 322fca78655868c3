/**
 * The words of a room's own messages (kind `system`) in the reader's
 * language: the message's `notice` says what it means; its `text` (English)
 * is shown only for a notice this page does not know.
 */
import type { RoomMessage } from '@parley/protocol';
import { t } from '../i18n/i18n';

export function systemWords(m: Pick<RoomMessage, 'text' | 'notice'>): string {
  const notice = m.notice;
  switch (notice?.kind) {
    case 'cohost-added':
      return t('room.notice_cohost_added', { name: notice.name });
    case 'cohost-removed':
      return t('room.notice_cohost_removed', { name: notice.name });
    case 'slow-mode-on':
      return t('room.notice_slow_mode_on', { seconds: notice.seconds });
    case 'slow-mode-off':
      return t('room.notice_slow_mode_off');
    case 'description-changed':
      return t('room.notice_description_changed');
    case 'rules-changed':
      return t('room.notice_rules_changed');
    default:
      return m.text;
  }
}
