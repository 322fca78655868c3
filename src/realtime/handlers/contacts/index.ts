/** The contacts and direct-message events and their handlers. */
import { contactBlock } from './contact-block';
import { contactRemove } from './contact-remove';
import { contactRename } from './contact-rename';
import { contactsList } from './contacts-list';
import { deleteIdentity } from './delete-identity';
import { dmHistory } from './dm-history';
import { dmRead } from './dm-read';
import { dmSend } from './dm-send';
import { dmTyping } from './dm-typing';
import { keepInTouch } from './keep-in-touch';
import { settings } from './settings';

export const CONTACT_HANDLERS = {
  'keep-in-touch': keepInTouch,
  'contacts-list': contactsList,
  'contact-rename': contactRename,
  'contact-remove': contactRemove,
  'contact-block': contactBlock,
  'dm-send': dmSend,
  'dm-history': dmHistory,
  'dm-read': dmRead,
  'dm-typing': dmTyping,
  settings,
  'delete-identity': deleteIdentity,
} as const;
