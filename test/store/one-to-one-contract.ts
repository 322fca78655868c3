/**
 * The one-to-one chat's five contracts (the match store's in three suites, the call store's with the modes), each a suite of its own, run together
 * against one backend (whose store implements all four on one data set).
 */
import { describeChatStoreContract } from './chat-store-contract';
import { describeMatchLanguagesContract } from './match-languages-contract';
import { describeMatchModesContract } from './match-modes-contract';
import { describeMatchStoreContract } from './match-store-contract';
import { describeNodeRegistryContract } from './node-registry-contract';
import type { OneToOneFactory } from './one-to-one-fixture';
import { describeSafetyMarksContract } from './safety-marks-contract';

export function describeOneToOneContracts(name: string, factory: OneToOneFactory): void {
  describeMatchStoreContract(name, factory);
  describeMatchLanguagesContract(name, factory);
  describeMatchModesContract(name, factory);
  describeChatStoreContract(name, factory);
  describeNodeRegistryContract(name, factory);
  describeSafetyMarksContract(name, factory);
}
