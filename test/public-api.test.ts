import * as fs from 'fs';
import * as path from 'path';
import * as pkg from '../lib';

const INDEX = fs.readFileSync(path.join(__dirname, '..', 'lib', 'index.ts'), 'utf8');

describe('the package root', () => {
  it('exports by name, so that a helper a module exports for the library does not become API', () => {
    expect(INDEX).not.toMatch(/^export \*/m);
  });

  it('does not export the library\'s helpers, one of which would shadow jest\'s describe in a user\'s test', () => {
    for (const internal of ['describe', 'describeType', 'resolveEnvValue', 'textParts', 'SENSITIVE_NAME', 'APP_ENV', 'envPrefix', 'httpConnectionEnv', 'parseEnvFile', 'storageClassProblemOf', 'IMAGE_REFERENCE', 'JOB_NAME_MAX_LENGTH']) {
      expect([internal, internal in pkg]).toEqual([internal, false]);
    }
  });

  it('exports the constructs, values and testing entry a user\'s app starts from', () => {
    for (const name of ['App', 'Stack', 'WebApp', 'Worker', 'MigrationJob', 'PostgresService', 'RedisService', 'Secret', 'HealthCheck', 'Size', 'Duration', 'Mount', 'Volume', 'Parameter', 'Hardening', 'Aspects', 'Testing', 'SynthError']) {
      expect([name, typeof (pkg as Record<string, unknown>)[name]]).toEqual([name, 'function']);
    }
  });
});
