import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeDotEnv } from './harness/compose-project';
import { archiveOf } from './harness/rootfs';
import { thrown } from '../support/thrown';

// The end-to-end suites themselves run with `npm run e2e` (docs/e2e.md); these are the parts of
// their harness that need no engine, run by `npm test`.

describe('the end-to-end harness', () => {
  describe('finding the archive debootstrap reads', () => {
    it('reads a deb822 source whose suites include the release', () => {
      const sources = [
        'Types: deb',
        '# a comment',
        'URIs: http://archive.invalid/debian',
        'Suites: bookworm bookworm-updates',
        'Components: main',
        '',
        'Types: deb',
        'URIs: http://security.invalid/debian-security',
        'Suites: bookworm-security',
      ].join('\n');
      expect(archiveOf(sources, 'bookworm')).toBe('http://archive.invalid/debian');
      expect(archiveOf(sources, 'bookworm-security')).toBe('http://security.invalid/debian-security');
    });

    it('reads a one-line source, with or without options, and not a source-only one', () => {
      const sources = 'deb-src http://src.invalid/debian bookworm main\ndeb [arch=amd64] http://archive.invalid/debian bookworm main\n';
      expect(archiveOf(sources, 'bookworm')).toBe('http://archive.invalid/debian');
    });

    it('finds nothing for a release no source serves', () => {
      expect(archiveOf('deb http://archive.invalid/debian bookworm main\n', 'trixie')).toBeUndefined();
    });
  });

  describe("writing the user's .env", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-dotenv-'));
      fs.writeFileSync(path.join(dir, '.env.example'), '# Password of the database\nPOSTGRES_PASSWORD=\n\n# API key\nAPI_KEY=\n');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('fills in every variable .env.example names, keeping its comments', () => {
      writeDotEnv(dir, { POSTGRES_PASSWORD: 'pw', API_KEY: 'key' });
      expect(fs.readFileSync(path.join(dir, '.env'), 'utf8')).toBe('# Password of the database\nPOSTGRES_PASSWORD=pw\n\n# API key\nAPI_KEY=key\n');
    });

    it('sets a deploy-time parameter the example gives commented out with its default, and leaves the others', () => {
      fs.writeFileSync(path.join(dir, '.env.example'), 'API_KEY=\n\n# Where the socket is\n# DOCKER_SOCKET=/var/run/docker.sock\n# WEB_REPLICAS=1\n');
      writeDotEnv(dir, { API_KEY: 'key', DOCKER_SOCKET: '/tmp/engine/docker.sock' });
      expect(fs.readFileSync(path.join(dir, '.env'), 'utf8')).toBe('API_KEY=key\n\n# Where the socket is\nDOCKER_SOCKET=/tmp/engine/docker.sock\n# WEB_REPLICAS=1\n');
    });

    it('refuses to leave a variable empty or to set one the stack does not read', () => {
      expect(thrown(() => writeDotEnv(dir, { POSTGRES_PASSWORD: 'pw', TYPO: 'x' }))).toContain('no value for: API_KEY; not named: TYPO');
      expect(fs.existsSync(path.join(dir, '.env'))).toBe(false);
    });
  });

  it('skips, saying why and exiting 0, where the tools an engine needs are missing', () => {
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'run.ts')], {
      // No sbin folders on the PATH: dockerd and debootstrap are not found.
      env: { ...process.env, PATH: path.dirname(process.execPath) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('[e2e] SKIPPED: the end-to-end tests did not run');
    expect(result.stdout).toMatch(/`dockerd` is missing \(Debian package docker\.io\)/);
    expect(result.stdout).not.toContain('engine started');
  });
});
