import { MemoryModerationStore } from '../../src/store/memory/moderation-store';
import { describeModerationStoreContract } from './moderation-store-contract';

describeModerationStoreContract('memory', async () => ({ store: new MemoryModerationStore() }));
