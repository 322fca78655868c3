/** Every client event and its handler. */
import type { HandlerTable } from '../dispatch';
import { acceptRules } from './accept-rules';
import { block } from './block';
import { cancelMatch } from './cancel-match';
import { CONTACT_HANDLERS } from './contacts';
import { findMatch } from './find-match';
import { leaveRoom } from './leave-room';
import { MODERATION_HANDLERS } from './moderation';
import { nextMatch } from './next-match';
import { sendMessage } from './send-message';
import { ROOM_HANDLERS } from './rooms';
import { typing } from './typing';

export const HANDLERS: HandlerTable = {
  'find-match': findMatch,
  'cancel-match': cancelMatch,
  'next-match': nextMatch,
  'send-message': sendMessage,
  typing,
  'leave-room': leaveRoom,
  block,
  ...ROOM_HANDLERS,
  ...CONTACT_HANDLERS,
  ...MODERATION_HANDLERS,
  'accept-rules': acceptRules,
};
