import * as fs from 'fs';
import { attempt } from './commands';
import { exited } from './engine';

/** Network interfaces as they were before the engine started. */
export interface HostSnapshot {
  readonly links: ReadonlySet<string>;
}

/** What cleanUp had to remove after the engine stopped. */
export interface CleanupReport {
  readonly killedProcesses: readonly string[];
  readonly unmounted: readonly string[];
  readonly deletedLinks: readonly string[];
}

// The interfaces a Docker engine makes: its bridges and the host ends of container links.
const ENGINE_LINK = /^(docker\d+|br-[0-9a-f]+|veth[0-9a-f]+)$/;

export function snapshotHost(): HostSnapshot {
  return { links: new Set(networkLinks()) };
}

/**
 * Leaves the host as it was: ends every process still running from `root` (containerd and its
 * shims), unmounts everything below `root`, deletes the engine's new network interfaces and
 * removes `root`. Throws if anything of it is still there afterwards.
 */
export async function cleanUp(root: string, before: HostSnapshot): Promise<CleanupReport> {
  const killedProcesses: string[] = [];
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const left = processesUsing(root);
    for (const { pid, command } of left) {
      try {
        process.kill(pid, signal);
        if (signal === 'SIGTERM') killedProcesses.push(`${pid} ${command}`);
      } catch {
        // Ended on its own meanwhile.
      }
    }
    await Promise.all(left.map(({ pid }) => exited(pid, 10_000)));
  }

  const unmounted: string[] = [];
  for (const mountPoint of mountsUnder(root)) {
    if (attempt('umount', [mountPoint]).status !== 0) attempt('umount', ['-l', mountPoint]);
    unmounted.push(mountPoint);
  }

  const deletedLinks: string[] = [];
  for (const link of networkLinks()) {
    if (!before.links.has(link) && ENGINE_LINK.test(link)) {
      attempt('ip', ['link', 'delete', link]);
      deletedLinks.push(link);
    }
  }

  fs.rmSync(root, { recursive: true, force: true });

  const remaining = [
    ...processesUsing(root).map(({ pid, command }) => `process ${pid} ${command}`),
    ...mountsUnder(root).map((mountPoint) => `mount ${mountPoint}`),
    ...networkLinks()
      .filter((link) => !before.links.has(link) && ENGINE_LINK.test(link))
      .map((link) => `network interface ${link}`),
    ...(fs.existsSync(root) ? [`folder ${root}`] : []),
  ];
  if (remaining.length > 0) throw new Error(`the end-to-end run left behind:\n  ${remaining.join('\n  ')}`);
  return { killedProcesses, unmounted, deletedLinks };
}

function processesUsing(root: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let command: string;
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (command.includes(root)) found.push({ pid, command: command.slice(0, 120) });
  }
  return found;
}

/** Mount points at or below `root`, deepest first. */
function mountsUnder(root: string): string[] {
  const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => unescape(line.split(' ')[4]))
    .filter((mountPoint) => mountPoint === root || mountPoint.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

function networkLinks(): string[] {
  return attempt('ip', ['-o', 'link', 'show'])
    .stdout.split('\n')
    .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}
