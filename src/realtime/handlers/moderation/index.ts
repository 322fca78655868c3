/** Safety events and their handlers. */
import { acceptRules } from './accept-rules';
import { report } from './report';

export const MODERATION_HANDLERS = { report, 'accept-rules': acceptRules } as const;
