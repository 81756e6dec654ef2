/**
 * The API server tests: the examples' Kubernetes output applied to a real kube-apiserver with
 * its controller-manager (test/cluster/, docs/api-server.md). Run them with `npm run cluster`,
 * which builds the binaries first (tools/kubernetes/build.sh).
 * @type {import('jest').Config}
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.ts'],
  verbose: true,
  // One cluster for the whole suite; a kubectl call takes a fraction of a second, a start ten.
  testTimeout: 180000,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
};
