// `npm run e2e`: starts a private Docker engine, builds the stand-in images, runs the end-to-end
// tests (test/e2e/*.e2e.ts) against it with jest, and leaves the machine as it found it.
// Where no engine can start it says why and exits 0: the tests are skipped, not failed.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { composeV2 } from '../../lib/validate/compose-v2';
import { cleanUp, snapshotHost } from './harness/cleanup';
import { dockerEnv, Engine, startEngine, stopEngine } from './harness/engine';
import { loadStandInImages, registerPinnedReferences } from './harness/images';
import { missingPrerequisites } from './harness/prerequisites';
import { E2E_ENV } from './harness/settings';

const REPO = path.resolve(__dirname, '..', '..');

function say(text: string): void {
  process.stdout.write(`[e2e] ${text}\n`);
}

function skip(reason: string): number {
  say(`SKIPPED: the end-to-end tests did not run: ${reason}`);
  return 0;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const missing = missingPrerequisites();
  if (missing.length > 0) return skip(`this machine lacks what they need:\n  - ${missing.join('\n  - ')}`);

  const started = Date.now();
  const before = snapshotHost();
  // Short: the engine's sockets live below it, and a unix socket path has at most 107 bytes.
  const root = fs.mkdtempSync('/tmp/cdkc-e2e-');
  const logFile = path.join(root, 'build.log');
  let engine: Engine | undefined;
  let status = 1;
  let stopping: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the tests, then cleaning up`);
    stopping?.();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    try {
      engine = await startEngine(root);
    } catch (error) {
      return skip(`no Docker engine could start here: ${(error as Error).message}`);
    }
    say(`engine started (dockerd pid ${engine.pid}, ${engine.host}) in ${seconds(started)}`);
    const compose = composeV2();
    say(`stacks run with Docker Compose ${compose.version} (${compose.binary})`);

    const building = Date.now();
    const tags = loadStandInImages(engine, root, (text) => fs.appendFileSync(logFile, text));
    say(`stand-in images built and loaded in ${seconds(building)}: ${tags.join(', ')}`);
    const pinned = await registerPinnedReferences(engine, (text) => fs.appendFileSync(logFile, text));
    engine = pinned.engine;
    say(`engine restarted (dockerd pid ${engine.pid}) with the stand-ins also under ${pinned.references.join(', ')}`);

    const testing = Date.now();
    status = await new Promise<number>((resolve) => {
      const jest = spawn(
        process.execPath,
        [require.resolve('jest/bin/jest'), '--config', path.join(REPO, 'jest.e2e.config.js'), '--runInBand', ...process.argv.slice(2)],
        { cwd: REPO, stdio: 'inherit', env: dockerEnv(engine!, { [E2E_ENV.ENGINE_ROOT]: root }) },
      );
      stopping = () => jest.kill('SIGTERM');
      jest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
    say(`tests finished in ${seconds(testing)} with exit status ${status}`);
    return status;
  } catch (error) {
    say(`FAILED: ${(error as Error).message}`);
    if (fs.existsSync(logFile)) say(`build log:\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')}`);
    return 1;
  } finally {
    if (engine) await stopEngine(engine);
    try {
      const report = await cleanUp(root, before);
      say(
        `cleaned up in ${seconds(started)} overall: engine stopped; ${report.killedProcesses.length} stray processes, ` +
          `${report.unmounted.length} mounts and ${report.deletedLinks.length} network interfaces removed; ${root} deleted`,
      );
    } catch (error) {
      say(`CLEAN-UP FAILED: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}

main().then(
  (status) => {
    process.exitCode = process.exitCode || status;
  },
  (error) => {
    say(`FAILED: ${(error as Error).stack ?? error}`);
    process.exitCode = 1;
  },
);
