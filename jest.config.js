/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // The consumer fixture is a user's project with its own jest run (test/consumer/consumer.test.ts).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer/fixture/'],
  testTimeout: 60000,
  // Extracts the helm binary the chart checks run (test/support/helm-binary.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // `npm test` type-checks everything with tsc first, so jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
};
