/**
 * End-to-end tests on a real Docker engine: run them with `npm run e2e` (test/e2e/run.ts), which
 * starts the engine and builds the images they need, then runs jest with this configuration.
 * @type {import('jest').Config}
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  verbose: true,
  // Stacks boot with health-check intervals of 10 to 30 s, twice each (up, down, up again).
  testTimeout: 600000,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
};
