/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Tests run the SDK from its sources (the package itself resolves to its built dist/).
  moduleNameMapper: {
    '^@parley/client$': '<rootDir>/packages/client/src/index.ts',
    '^@parley/client/node$': '<rootDir>/packages/client/src/node.ts',
  },
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // nanoid 5, node-pg-migrate 9 and formatjs ship ESM only; let swc turn them into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(nanoid|node-pg-migrate|intl-messageformat|@formatjs)/)'],
  maxWorkers: 2,
  testTimeout: 30000,
};
