/** Every client event and its handler, one folder per feature. */
import type { HandlerTable } from '../dispatch';
import { CALL_HANDLERS } from './call';
import { CHAT_HANDLERS } from './chat';
import { CONTACT_HANDLERS } from './contacts';
import { MODERATION_HANDLERS } from './moderation';
import { ROOM_HANDLERS } from './rooms';
import { STREAM_HANDLERS } from './streams';

export const HANDLERS: HandlerTable = {
  ...CHAT_HANDLERS,
  ...CALL_HANDLERS,
  ...ROOM_HANDLERS,
  ...CONTACT_HANDLERS,
  ...MODERATION_HANDLERS,
  ...STREAM_HANDLERS,
};
