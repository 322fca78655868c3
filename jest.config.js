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
  // nanoid 5 and node-pg-migrate 9 ship ESM only; let swc turn them into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(nanoid|node-pg-migrate)/)'],
  maxWorkers: 2,
  testTimeout: 30000,
};
