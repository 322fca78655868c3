/** Safety events and their handlers. */
import { report } from './report';

export const MODERATION_HANDLERS = { report } as const;
