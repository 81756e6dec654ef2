/** Environment variables between `npm run e2e` (test/e2e/run.ts) and the tests it runs. */
export const E2E_ENV = {
  /** Set by run.ts: the folder of the private engine; the tests skip when it is absent. */
  ENGINE_ROOT: 'CDK_COMPOSE_E2E_ENGINE_ROOT',
} as const;
