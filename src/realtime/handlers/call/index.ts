/** The video call's events and their handlers. */
import { callCredentials } from './call-credentials';
import { callSignal } from './call-signal';
import { callState } from './call-state';

export const CALL_HANDLERS = {
  'call-signal': callSignal,
  'call-state': callState,
  'call-credentials': callCredentials,
} as const;
