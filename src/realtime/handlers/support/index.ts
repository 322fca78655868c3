/** What several features' handlers share: the rules gate, rate-limit points, settling a request that outlived its connection. */
export { spend } from './rate-limit';
export { requireRules } from './require-rules';
export { settleIfGone } from './settle-if-gone';
