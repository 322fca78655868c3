/** The one-to-one chat's events and their handlers. */
import { block } from './block';
import { cancelMatch } from './cancel-match';
import { findMatch } from './find-match';
import { leaveRoom } from './leave-room';
import { nextMatch } from './next-match';
import { sendMessage } from './send-message';
import { typing } from './typing';

export const CHAT_HANDLERS = {
  'find-match': findMatch,
  'cancel-match': cancelMatch,
  'next-match': nextMatch,
  'send-message': sendMessage,
  typing,
  'leave-room': leaveRoom,
  block,
} as const;
