import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BACKEND_IMAGE, FRONTEND_IMAGE } from '../../../examples/device-remote-management/app';
import { DASHBOARD_IMAGE_DEV, DASHBOARD_IMAGE_PROD, SERVER_IMAGE } from '../../../examples/parmana/app';
import { attempt, run } from './commands';
import { dockerEnv, Engine } from './engine';
import { buildBusyboxRootfs, buildDebianRootfs, OVERLAYS } from './rootfs';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The parts of an image's configuration the stand-ins set (Docker's image spec names). */
interface ImageConfig {
  readonly Env?: string[];
  readonly Entrypoint?: string[];
  readonly Cmd?: string[];
  readonly WorkingDir?: string;
  readonly ExposedPorts?: Record<string, object>;
  readonly Volumes?: Record<string, object>;
  readonly StopSignal?: string;
}

/** One stand-in: the names the synthesized output pulls, which root file system, and how it starts. */
export interface StandInImage {
  readonly tags: readonly string[];
  readonly rootfs: 'debian' | 'busybox';
  /** A small layer on top of the root file system, for what differs between images of one root. */
  readonly overlay?: keyof typeof OVERLAYS;
  readonly config: (postgresVersion: string) => ImageConfig;
}

const POSTGRES_CONFIG = (postgresVersion: string): ImageConfig => ({
  Env: [`PATH=/usr/lib/postgresql/${postgresVersion}/bin:${DEFAULT_PATH}`, 'LANG=C.UTF-8', 'PGDATA=/var/lib/postgresql/data'],
  Entrypoint: ['postgres-entrypoint.sh'],
  Cmd: ['postgres'],
  ExposedPorts: { '5432/tcp': {} },
  Volumes: { '/var/lib/postgresql/data': {} },
  StopSignal: 'SIGINT',
});

/**
 * srvthreds' images (dev builds `latest`, prod pulls the release): the node/npm stand-in
 * (standins/node), listening where the real processes listen.
 */
const SRVTHREDS_IMAGES: readonly StandInImage[] = (
  [
    ['builder', [], ['sh']],
    ['bootstrap', [], ['npm', 'run', 'bootstrap']],
    ['engine', ['8082'], ['node', 'dist-server/src/ts/index.js']],
    ['session-agent', ['3000', '3001'], ['node', 'dist-server/src/ts/agent/agent.js']],
    ['persistence-agent', [], ['node', 'dist-server/src/ts/agent/agent.js']],
  ] as const
).map(([name, ports, cmd]) => ({
  tags: [`srvthreds/${name}:latest`, `srvthreds/${name}:1.0.0`],
  rootfs: 'debian' as const,
  config: () => ({
    Env: [`PATH=${DEFAULT_PATH}`, `STANDIN_PORTS=${ports.join(' ')}`],
    Cmd: [...cmd],
    WorkingDir: '/app',
    ExposedPorts: Object.fromEntries(ports.map((port) => [`${port}/tcp`, {}])),
  }),
}));

/**
 * The stand-ins, under every image name the tested stacks use. Each keeps the contract of the
 * image it stands in for: the same entrypoint behaviour, defaults, users and paths.
 */
export const STAND_IN_IMAGES: readonly StandInImage[] = [
  {
    // Debian's PostgreSQL under the Alpine tags: the tests need the contract, not the version.
    tags: ['postgres:15-alpine', 'postgres:16-alpine', 'postgres:alpine'],
    rootfs: 'debian',
    config: POSTGRES_CONFIG,
  },
  {
    // The Debian-based tags run as 999, which owns the data folder there.
    tags: ['postgres:latest'],
    rootfs: 'debian',
    overlay: 'postgres-debian',
    config: POSTGRES_CONFIG,
  },
  {
    // The official image's entrypoint is docker-entrypoint.sh, which commands name (srvthreds' prod
    // Redis runs `sh -c "exec docker-entrypoint.sh redis-server ..."`).
    tags: ['redis:7-alpine', 'redis:7'],
    rootfs: 'debian',
    overlay: 'redis',
    config: () => ({
      Env: [`PATH=${DEFAULT_PATH}`],
      Entrypoint: ['redis-entrypoint.sh'],
      Cmd: ['redis-server'],
      WorkingDir: '/data',
      ExposedPorts: { '6379/tcp': {} },
      Volumes: { '/data': {} },
    }),
  },
  {
    // The examples' single-page apps are nginx images with their bundle in /usr/share/nginx/html.
    tags: ['nginx:1.27-alpine', FRONTEND_IMAGE, 'ghcr.io/escrowgrid/taas-admin:0.1.0', DASHBOARD_IMAGE_DEV, DASHBOARD_IMAGE_PROD],
    rootfs: 'debian',
    config: () => ({
      Env: [`PATH=${DEFAULT_PATH}`],
      Entrypoint: ['nginx-entrypoint.sh'],
      Cmd: ['nginx', '-g', 'daemon off;'],
      ExposedPorts: { '80/tcp': {} },
      StopSignal: 'SIGQUIT',
    }),
  },
  {
    // The examples' application images: the web-app stand-in, `celery ... worker` for workers
    // and `alembic upgrade head` for migrations.
    tags: [BACKEND_IMAGE, 'ghcr.io/escrowgrid/taas-api:0.1.0', 'ghcr.io/acme/drm-backend:1.4.2', 'cdk-compose-e2e/web-app:latest', 'miniflux/miniflux:latest'],
    rootfs: 'debian',
    config: () => ({
      Env: [`PATH=${DEFAULT_PATH}`, 'PORT=8080'],
      Cmd: ['web-app'],
      WorkingDir: '/app',
      ExposedPorts: { '8080/tcp': {} },
    }),
  },
  {
    // Real projects' application images (test/e2e/corpus.e2e.ts): the web-app stand-in on the
    // port each image serves on.
    tags: ['ghcr.io/umami-software/umami:postgresql-latest', 'gitea/gitea:latest', SERVER_IMAGE],
    rootfs: 'debian',
    config: () => ({
      Env: [`PATH=${DEFAULT_PATH}`, 'PORT=3000'],
      Cmd: ['web-app'],
      WorkingDir: '/app',
      ExposedPorts: { '3000/tcp': {} },
    }),
  },
  {
    // mongod and mongosh stand-ins (standins/mongo): the replica set, users and documents the
    // stacks and tests use, kept in /data/db; not MongoDB's wire protocol.
    tags: ['mongo:7.0'],
    rootfs: 'debian',
    overlay: 'mongo',
    config: () => ({
      Env: [`PATH=${DEFAULT_PATH}`],
      Entrypoint: ['docker-entrypoint.sh'],
      Cmd: ['mongod'],
      ExposedPorts: { '27017/tcp': {} },
      Volumes: { '/data/db': {}, '/data/configdb': {} },
    }),
  },
  {
    // A listener on the AMQP port, the management API and the health check's diagnostics
    // (standins/rabbitmq); not RabbitMQ.
    tags: ['rabbitmq:3.13-management'],
    rootfs: 'debian',
    config: () => ({
      Env: [`PATH=${DEFAULT_PATH}`, 'HOME=/var/lib/rabbitmq'],
      Cmd: ['rabbitmq-server'],
      ExposedPorts: { '5672/tcp': {}, '15672/tcp': {} },
      Volumes: { '/var/lib/rabbitmq': {} },
    }),
  },
  ...SRVTHREDS_IMAGES,
  {
    tags: ['busybox:1.36'],
    rootfs: 'busybox',
    config: () => ({ Env: ['PATH=/bin'], Cmd: ['sh'] }),
  },
];

/**
 * Builds the two root file systems, packs each as one layer and loads every stand-in into the
 * engine with `docker load`, all images of a root file system sharing its single layer.
 */
export function loadStandInImages(engine: Engine, workDir: string, log: (text: string) => void): string[] {
  const debianRoot = path.join(workDir, 'rootfs-debian');
  const busyboxRoot = path.join(workDir, 'rootfs-busybox');
  const { postgresVersion } = buildDebianRootfs(debianRoot, log);
  buildBusyboxRootfs(busyboxRoot, debianRoot);

  const archive = path.join(workDir, 'images');
  fs.mkdirSync(archive, { recursive: true });
  const layers = {
    debian: packLayer(debianRoot, archive, 'debian'),
    busybox: packLayer(busyboxRoot, archive, 'busybox'),
  };
  const overlays = Object.fromEntries(
    Object.entries(OVERLAYS).map(([name, build]) => {
      const root = path.join(workDir, `overlay-${name}`);
      build(root);
      const layer = packLayer(root, archive, `overlay-${name}`);
      fs.rmSync(root, { recursive: true, force: true });
      return [name, layer];
    }),
  ) as Record<keyof typeof OVERLAYS, { file: string; diffId: string }>;
  for (const root of [debianRoot, busyboxRoot]) fs.rmSync(root, { recursive: true, force: true });

  const architecture = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch] ?? process.arch;
  const manifest = STAND_IN_IMAGES.map((image) => {
    const imageLayers = [layers[image.rootfs], ...(image.overlay ? [overlays[image.overlay]] : [])];
    const config = JSON.stringify({
      architecture,
      os: 'linux',
      created: '2026-01-01T00:00:00Z',
      config: image.config(postgresVersion),
      rootfs: { type: 'layers', diff_ids: imageLayers.map((l) => l.diffId) },
      history: [{ created: '2026-01-01T00:00:00Z', created_by: 'cdk-compose end-to-end stand-in' }],
    });
    const configFile = `${sha256(config)}.json`;
    fs.writeFileSync(path.join(archive, configFile), config);
    return { Config: configFile, RepoTags: image.tags, Layers: imageLayers.map((l) => l.file) };
  });
  fs.writeFileSync(path.join(archive, 'manifest.json'), JSON.stringify(manifest));

  const tarball = path.join(workDir, 'images.tar');
  run('tar', ['-C', archive, '-cf', tarball, '.']);
  fs.rmSync(archive, { recursive: true, force: true });
  log(run('docker', ['load', '--input', tarball], { env: dockerEnv(engine) }));
  fs.rmSync(tarball, { force: true });
  return STAND_IN_IMAGES.flatMap((image) => image.tags);
}

function packLayer(root: string, archive: string, name: string): { file: string; diffId: string } {
  const file = `${name}/layer.tar`;
  fs.mkdirSync(path.join(archive, name));
  run('tar', ['--numeric-owner', '-C', root, '-cf', path.join(archive, file), '.'], { timeoutMs: 600_000 });
  return { file, diffId: `sha256:${sha256File(path.join(archive, file))}` };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sha256File(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(16 * 1024 * 1024);
  const fd = fs.openSync(file, 'r');
  try {
    let read: number;
    while ((read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** The images a Compose file names that the engine does not have. */
export function missingImages(engine: Engine, images: readonly string[]): string[] {
  return images.filter((image) => attempt('docker', ['image', 'inspect', image], { env: dockerEnv(engine) }).status !== 0);
}
