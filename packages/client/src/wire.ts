/**
 * The wire types the SDK is typed from: parley's protocol (src/protocol of
 * the server's repository), types only. The package's build copies their
 * declarations into dist/protocol/, so a consumer outside the repository gets
 * complete types and the bundles carry no server code.
 */
export type * from '../../../src/protocol/index';
