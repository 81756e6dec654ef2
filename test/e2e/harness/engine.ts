import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { attempt, tail } from './commands';

/** A Docker engine this run started, private to it: its own state, sockets and networks. */
export interface Engine {
  /** The DOCKER_HOST that reaches it. */
  readonly host: string;
  /** Process id of dockerd. */
  readonly pid: number;
  /** Folder holding everything the engine writes; removed by stopEngine's caller. */
  readonly root: string;
  readonly logFile: string;
}

/**
 * Address pool of the engine's Compose networks. Traffic on them stays inside this machine:
 * the engine neither forwards nor masquerades (see dockerFlags).
 */
export const NETWORK_POOL = 'base=10.213.0.0/16,size=24';

function dockerFlags(root: string, socket: string): string[] {
  return [
    '--storage-driver=vfs',
    // No firewall rules, no forwarding and no NAT: containers reach each other on their bridges
    // and the host reaches published ports through the userland proxy, nothing leaves the host.
    '--iptables=false',
    '--ip6tables=false',
    '--ip-forward=false',
    '--ip-masq=false',
    // No default docker0 bridge: every container of the tests is on a network Compose made.
    '--bridge=none',
    `--default-address-pool=${NETWORK_POOL}`,
    `--data-root=${path.join(root, 'data')}`,
    `--exec-root=${path.join(root, 'exec')}`,
    `--pidfile=${path.join(root, 'dockerd.pid')}`,
    `--host=unix://${socket}`,
    '--log-level=warn',
  ];
}

/** Starts dockerd under `root` and waits until it answers; throws, with its log, if it cannot. */
export async function startEngine(root: string, readyTimeoutMs = 60_000): Promise<Engine> {
  const socket = path.join(root, 'docker.sock');
  const logFile = path.join(root, 'dockerd.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn('dockerd', dockerFlags(root, socket), { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error('dockerd could not be spawned');
  let exitedWith: string | undefined;
  child.on('exit', (code, signal) => (exitedWith = signal ?? String(code)));
  child.unref();

  const engine: Engine = { host: `unix://${socket}`, pid: child.pid, root, logFile };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new Error(`dockerd exited (${exitedWith}) while starting:\n${tail(fs.readFileSync(logFile, 'utf8'))}`);
    }
    if (attempt('docker', ['version', '--format', '{{.Server.Version}}'], { env: dockerEnv(engine), timeoutMs: 10_000 }).status === 0) {
      return engine;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.kill(child.pid, 'SIGKILL');
  throw new Error(`dockerd did not answer within ${readyTimeoutMs / 1000} s:\n${tail(fs.readFileSync(logFile, 'utf8'))}`);
}

/** The environment that points docker and `docker compose` at the engine. */
export function dockerEnv(engine: Engine, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: engine.host, ...extra };
}

/** Removes every container and stops dockerd (SIGTERM, then SIGKILL), waiting for it to exit. */
export async function stopEngine(engine: Engine, stopTimeoutMs = 30_000): Promise<void> {
  const env = dockerEnv(engine);
  const containers = attempt('docker', ['ps', '-aq'], { env, timeoutMs: 30_000 }).stdout.split('\n').filter(Boolean);
  if (containers.length > 0) attempt('docker', ['rm', '-f', '-v', ...containers], { env, timeoutMs: 120_000 });
  attempt('docker', ['network', 'prune', '-f'], { env, timeoutMs: 30_000 });
  signal(engine.pid, 'SIGTERM');
  if (!(await exited(engine.pid, stopTimeoutMs))) {
    signal(engine.pid, 'SIGKILL');
    await exited(engine.pid, 5_000);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Waits until a process is gone; false if it is still there after the timeout. */
export async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return !isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    // A zombie still answers signal 0; its state in /proc says it is gone.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}
