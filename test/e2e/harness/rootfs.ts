import * as fs from 'fs';
import * as path from 'path';
import { run } from './commands';

/** Where the stand-ins' own files are kept (entrypoints, servers, configuration). */
export const STANDINS_DIR = path.join(__dirname, '..', 'standins');

/** Debian's packages every stand-in of the Debian image needs (busybox: for the BusyBox image). */
const PACKAGES = ['postgresql', 'postgresql-client', 'redis-server', 'redis-tools', 'nginx-light', 'curl', 'busybox'];

// The official images' fixed user ids: postgres:*-alpine runs as 70, nginx as 101, redis as 999
// (redis-server's package takes the existing user instead of making its own), and the node
// images the examples' apps build on have their user at 1000 (compose files say `user: "1000:1000"`).
const FIXED_USERS = [
  { name: 'postgres', id: 70, home: '/var/lib/postgresql' },
  { name: 'nginx', id: 101, home: '/var/cache/nginx' },
  { name: 'redis', id: 999, home: '/data' },
  { name: 'app', id: 1000, home: '/home/app' },
];

/** The Debian release and archive this machine's apt uses, which debootstrap then uses too. */
export function debianSource(): { suite: string; mirror: string } {
  const osRelease = fs.readFileSync('/etc/os-release', 'utf8');
  const suite = /^VERSION_CODENAME=(\S+)$/m.exec(osRelease)?.[1];
  if (!suite || !/^ID=debian$/m.test(osRelease)) throw new Error('the image build needs a Debian host (debootstrap of its own release)');
  const sources = [
    '/etc/apt/sources.list',
    ...listDir('/etc/apt/sources.list.d').map((name) => path.join('/etc/apt/sources.list.d', name)),
  ]
    .filter((file) => fs.existsSync(file))
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('\n\n');
  const mirror = archiveOf(sources, suite);
  if (!mirror) throw new Error(`no apt source for Debian ${suite} on this machine to debootstrap from`);
  return { suite, mirror };
}

/**
 * The archive that serves `suite` in apt's sources: one-line ("deb [options] URI suite
 * components") or deb822 ("Types: deb", "URIs:", "Suites:") entries, the first that matches.
 */
export function archiveOf(sources: string, suite: string): string | undefined {
  const oneLine = new RegExp(`^deb\\s+(?:\\[[^\\]]*\\]\\s+)?(\\S+)\\s+${suite}\\s`, 'm').exec(sources)?.[1];
  if (oneLine) return oneLine;
  const stanza = sources
    .split(/\n\s*\n/)
    .find((text) => /^Types:.*\bdeb\b/m.test(text) && new RegExp(`^Suites:(.*\\s)?${suite}(\\s|$)`, 'm').test(text));
  return stanza ? /^URIs:\s*(\S+)/m.exec(stanza)?.[1] : undefined;
}

function listDir(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/**
 * A Debian minbase root file system with Debian's PostgreSQL, Redis and nginx, and the stand-ins'
 * entrypoints and servers in /usr/local/bin. `log` receives the tools' output.
 */
export function buildDebianRootfs(dir: string, log: (text: string) => void): { postgresVersion: string } {
  const { suite, mirror } = debianSource();
  log(run('debootstrap', ['--variant=minbase', suite, dir, mirror], { timeoutMs: 900_000 }));
  const inRoot = (...args: string[]) => log(run('chroot', [dir, ...args], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' }, timeoutMs: 900_000 }));

  // Nothing may start inside the build, and the images' entrypoints make the database clusters.
  write(dir, 'usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', 0o755);
  write(dir, 'etc/postgresql-common/createcluster.conf', 'create_main_cluster = false\n');
  for (const user of FIXED_USERS) {
    inRoot('groupadd', '--system', '--gid', String(user.id), user.name);
    inRoot('useradd', '--system', '--uid', String(user.id), '--gid', String(user.id), '--home-dir', user.home, '--shell', '/bin/sh', user.name);
  }
  inRoot('apt-get', 'install', '--yes', '--quiet', '--no-install-recommends', ...PACKAGES);
  inRoot('apt-get', 'clean');
  fs.rmSync(path.join(dir, 'usr/sbin/policy-rc.d'));

  const postgresVersion = listDir(path.join(dir, 'usr/lib/postgresql'))[0];
  if (!postgresVersion) throw new Error('the postgresql package installed no server under /usr/lib/postgresql');
  removeUnneeded(dir, postgresVersion);

  const standin = (from: string, to: string, mode = 0o755) => write(dir, to, fs.readFileSync(path.join(STANDINS_DIR, from)), mode);
  standin('postgres/docker-entrypoint.sh', 'usr/local/bin/postgres-entrypoint.sh');
  standin('redis/docker-entrypoint.sh', 'usr/local/bin/redis-entrypoint.sh');
  standin('nginx/docker-entrypoint.sh', 'usr/local/bin/nginx-entrypoint.sh');
  standin('web-app/web-app', 'usr/local/bin/web-app');
  standin('web-app/celery', 'usr/local/bin/celery');
  standin('web-app/alembic', 'usr/local/bin/alembic');
  standin('web-app/uvicorn', 'usr/local/bin/uvicorn');
  standin('opensearch/opensearch', 'usr/local/bin/opensearch');
  standin('opensearch/opensearch-docker-entrypoint.sh', 'usr/share/opensearch/opensearch-docker-entrypoint.sh');
  // The agent's image runs /bin/grafana-agent; /bin is a link to usr/bin in Debian.
  standin('grafana-agent/grafana-agent', 'usr/bin/grafana-agent');
  standin('mongo/docker-entrypoint.sh', 'usr/local/bin/mongo-entrypoint.sh');
  standin('mongo/mongod', 'usr/local/bin/mongod');
  standin('mongo/mongosh', 'usr/local/bin/mongosh');
  standin('rabbitmq/rabbitmq-server', 'usr/local/bin/rabbitmq-server');
  standin('rabbitmq/rabbitmq-diagnostics', 'usr/local/bin/rabbitmq-diagnostics');
  standin('node/node', 'usr/local/bin/node');
  fs.symlinkSync('node', path.join(dir, 'usr/local/bin/npm'));
  standin('nginx/nginx.conf', 'etc/nginx/nginx.conf', 0o644);
  standin('nginx/default.conf', 'etc/nginx/conf.d/default.conf', 0o644);
  standin('nginx/index.html', 'usr/share/nginx/html/index.html', 0o644);
  fs.rmSync(path.join(dir, 'etc/nginx/sites-enabled'), { recursive: true, force: true });

  // The official images are Alpine's, whose health checks use BusyBox's wget.
  fs.copyFileSync('/bin/busybox', path.join(dir, 'usr/local/bin/busybox'));
  fs.symlinkSync('busybox', path.join(dir, 'usr/local/bin/wget'));

  // Folders the official images make, with their owners and modes.
  directory(dir, 'var/lib/postgresql/data', 0o1777, 70);
  // /var/run links to /run by an absolute path: followed from the host, it would be the host's.
  directory(dir, 'run/postgresql', 0o3777, 70);
  directory(dir, 'docker-entrypoint-initdb.d', 0o755, 0);
  const redisId = (flag: string) => Number(run('chroot', [dir, 'id', flag, 'redis']).trim());
  directory(dir, 'data', 0o755, redisId('-u'), redisId('-g'));
  // mongo and rabbitmq run as 999 too (mongodb, rabbitmq), owning their data folders.
  directory(dir, 'data/db', 0o755, 999);
  directory(dir, 'data/configdb', 0o755, 999);
  directory(dir, 'var/lib/rabbitmq', 0o755, 999);
  directory(dir, 'var/cache/nginx', 0o755, 101);
  directory(dir, 'home/app', 0o755, 1000);
  // OpenSearch's image runs as 1000 (opensearch), which owns its data folder (an image volume),
  // so that a fresh named volume mounted there is writable.
  directory(dir, 'usr/share/opensearch/data', 0o755, 1000);
  directory(dir, 'app', 0o755, 0);
  // nginx logs to the container's output, as in the official image.
  for (const [file, target] of [['access.log', '/dev/stdout'], ['error.log', '/dev/stderr']]) {
    fs.rmSync(path.join(dir, 'var/log/nginx', file), { force: true });
    fs.symlinkSync(target, path.join(dir, 'var/log/nginx', file));
  }
  return { postgresVersion };
}

/**
 * Small layers on top of the Debian root file system, for what differs between its images; each
 * holds only its files and their parent folders, with the Debian layer's owners and modes.
 */
export const OVERLAYS = {
  'postgres-debian': buildPostgresDebianOwnership,
  redis: (dir: string) => entrypointLink(dir, 'redis-entrypoint.sh'),
  mongo: (dir: string) => entrypointLink(dir, 'mongo-entrypoint.sh'),
};

/** The official images' entrypoints are all /usr/local/bin/docker-entrypoint.sh, each its own. */
function entrypointLink(dir: string, target: string): void {
  for (const folder of ['usr', 'usr/local', 'usr/local/bin']) directory(dir, folder, 0o755, 0);
  fs.symlinkSync(target, path.join(dir, 'usr/local/bin/docker-entrypoint.sh'));
}

/**
 * The layer that turns the Alpine-tagged PostgreSQL stand-in into the Debian-tagged one: the
 * official Debian images run PostgreSQL as 999, not Alpine's 70, and own its folders by it.
 * Only these folders (and their parents, as the Debian layer has them) are in the layer.
 */
function buildPostgresDebianOwnership(dir: string): void {
  for (const folder of ['var', 'var/lib', 'run']) directory(dir, folder, 0o755, 0);
  directory(dir, 'var/lib/postgresql', 0o755, 999);
  directory(dir, 'var/lib/postgresql/data', 0o1777, 999);
  directory(dir, 'run/postgresql', 0o3777, 999);
}

/** Documentation, package lists and PostgreSQL's JIT compiler (LLVM): half the size, unused. */
function removeUnneeded(dir: string, postgresVersion: string): void {
  for (const folder of ['var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale']) {
    for (const entry of listDir(path.join(dir, folder))) fs.rmSync(path.join(dir, folder, entry), { recursive: true, force: true });
  }
  const postgresLib = path.join(dir, 'usr/lib/postgresql', postgresVersion, 'lib');
  for (const entry of listDir(postgresLib)) {
    if (entry.startsWith('llvmjit')) fs.rmSync(path.join(postgresLib, entry), { recursive: true, force: true });
  }
}

/**
 * A BusyBox root file system: Debian's BusyBox from the Debian root file system with the C
 * library it links, its applets as links, /tmp and two users.
 *
 * Debian's build, like the official image's, runs commands through PATH; busybox-static's shell
 * runs its own applets first, so the `nc` below (standins/busybox/nc: `-z`, which Debian's
 * builds lack and the official image's has) would never run there.
 */
export function buildBusyboxRootfs(dir: string, debianRoot: string): void {
  const binary = '/bin/busybox';
  const linked = run('chroot', [debianRoot, 'ldd', binary])
    .split('\n')
    .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
    .filter((file): file is string => file !== undefined);
  for (const file of [binary, ...linked]) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(insideRoot(debianRoot, file), target);
    fs.chmodSync(target, 0o755);
  }
  run('chroot', [dir, '/bin/busybox', '--install', '-s', '/bin']);
  fs.rmSync(path.join(dir, 'bin/nc'));
  write(dir, 'bin/nc', fs.readFileSync(path.join(STANDINS_DIR, 'busybox/nc')), 0o755);
  directory(dir, 'tmp', 0o1777, 0);
  write(dir, 'etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n', 0o644);
  write(dir, 'etc/group', 'root:x:0:\nnogroup:x:65534:\n', 0o644);
  directory(dir, 'root', 0o700, 0);
}

/** A path of a root file system as seen from inside it: symbolic links resolved against the root. */
function insideRoot(root: string, file: string): string {
  let current = '';
  const parts = file.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const candidate = path.join(root, current, parts[i]);
    const stat = fs.lstatSync(candidate);
    if (!stat.isSymbolicLink()) {
      current = path.join(current, parts[i]);
      continue;
    }
    const link = fs.readlinkSync(candidate);
    const resolved = link.startsWith('/') ? link : path.join('/', current, link);
    return insideRoot(root, path.join(resolved, ...parts.slice(i + 1)));
  }
  return path.join(root, current);
}

function write(root: string, file: string, content: string | Buffer, mode = 0o644): void {
  const target = path.join(root, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
  fs.chmodSync(target, mode);
}

function directory(root: string, folder: string, mode: number, uid: number, gid = uid): void {
  const target = path.join(root, folder);
  fs.mkdirSync(target, { recursive: true });
  fs.chownSync(target, uid, gid);
  fs.chmodSync(target, mode);
}
