import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BACKEND_IMAGE, FRONTEND_IMAGE } from '../../../examples/device-remote-management/app';
import { DASHBOARD_IMAGE_DEV, DASHBOARD_IMAGE_PROD, SERVER_IMAGE } from '../../../examples/parmana/app';
import { IMAGES as P88_IMAGES } from '../../../examples/project88/app';
import { attempt, run } from './commands';
import { dockerEnv, Engine, startEngine, stopEngine } from './engine';
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
  readonly User?: string;
}

/** One stand-in: the names the synthesized output pulls, which root file system, and how it starts. */
export interface StandInImage {
  readonly tags: readonly string[];
  /**
   * References pinned to a digest (`name:tag@sha256:…`) that the output pulls: `docker load` and
   * `docker tag` refuse them, so registerPinnedReferences adds them to the engine's reference store.
   */
  readonly pinned?: readonly string[];
  readonly rootfs: 'debian' | 'busybox';
  /** A small layer on top of the root file system, for what differs between images of one root. */
  readonly overlay?: keyof typeof OVERLAYS;
  readonly config: (postgresVersion: string) => ImageConfig;
}

/** `<name>:<tag>@<digest>`: how Project 88's prod output names an image (examples/project88/app.ts). */
function pinnedP88(name: string, image: { readonly tag: string; readonly digest: string }): string {
  return `${name}:${image.tag}@${image.digest}`;
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
    pinned: [pinnedP88('postgres', P88_IMAGES.postgres)],
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
    pinned: [pinnedP88('redis', P88_IMAGES.redis)],
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
    // Project 88's application image: `uvicorn p88.main:app --port 8000` is the web-app stand-in
    // on that port (standins/web-app/uvicorn), `celery ... worker` and `celery ... inspect ping`
    // the worker and its health check.
    tags: [`registry.gitlab.com/p88/app:${P88_IMAGES.app.tag}`],
    pinned: [pinnedP88('registry.gitlab.com/p88/app', P88_IMAGES.app)],
    rootfs: 'debian',
    config: () => ({
      Env: [`PATH=${DEFAULT_PATH}`],
      Cmd: ['uvicorn', 'p88.main:app', '--host', '0.0.0.0', '--port', '8000'],
      WorkingDir: '/app',
      ExposedPorts: { '8000/tcp': {} },
      User: '1000:1000',
    }),
  },
  {
    // A single OpenSearch node (standins/opensearch, not OpenSearch): cluster health and
    // documents on 9200, kept in the data folder; runs as 1000 as the official image does.
    tags: [`opensearchproject/opensearch:${P88_IMAGES.opensearch.tag}`],
    pinned: [pinnedP88('opensearchproject/opensearch', P88_IMAGES.opensearch)],
    rootfs: 'debian',
    config: () => ({
      Env: [`PATH=${DEFAULT_PATH}`],
      Entrypoint: ['./opensearch-docker-entrypoint.sh'],
      Cmd: ['opensearch'],
      WorkingDir: '/usr/share/opensearch',
      ExposedPorts: { '9200/tcp': {}, '9300/tcp': {}, '9600/tcp': {}, '9650/tcp': {} },
      Volumes: { '/usr/share/opensearch/data': {} },
      User: '1000:1000',
    }),
  },
  {
    // Grafana Agent in static mode (standins/grafana-agent, not the agent): /-/ready, the OTLP
    // ports, and the containers it finds through the Docker socket. Runs as root, as upstream.
    tags: [`grafana/agent:${P88_IMAGES.grafanaAgent.tag}`],
    pinned: [pinnedP88('grafana/agent', P88_IMAGES.grafanaAgent)],
    rootfs: 'debian',
    config: () => ({
      Env: [`PATH=${DEFAULT_PATH}`],
      Entrypoint: ['/bin/grafana-agent'],
      Cmd: ['--config.file=/etc/agent/agent.yaml', '--metrics.wal-directory=/etc/agent/data'],
      ExposedPorts: { '12345/tcp': {} },
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

/**
 * Makes each stand-in answer to the digest-pinned references the output pulls
 * (`postgres:16-alpine@sha256:…`). The engine resolves such a reference by `name@digest` alone
 * (moby's reference store, `Get`), and neither `docker load` nor `docker tag` accept a digest, so
 * the references are written into the engine's reference store
 * (`<data-root>/image/vfs/repositories.json`, read when dockerd starts) while it is stopped,
 * each to the image ID of the stand-in's first tag. Returns the restarted engine; throws if any
 * reference does not then inspect as its stand-in.
 */
export async function registerPinnedReferences(engine: Engine, log: (text: string) => void): Promise<{ engine: Engine; references: string[] }> {
  const pins = STAND_IN_IMAGES.flatMap((image) =>
    (image.pinned ?? []).map((reference) => ({ reference, id: imageId(engine, image.tags[0]) })),
  );
  if (pins.length === 0) return { engine, references: [] };
  await stopEngine(engine);
  const file = path.join(engine.root, 'data', 'image', 'vfs', 'repositories.json');
  const store = JSON.parse(fs.readFileSync(file, 'utf8')) as { Repositories: Record<string, Record<string, string>> };
  for (const { reference, id } of pins) {
    const { name, digest } = splitPinned(reference);
    store.Repositories[name] = { ...store.Repositories[name], [`${name}@${digest}`]: id };
  }
  fs.writeFileSync(file, JSON.stringify(store));
  const restarted = await startEngine(engine.root);
  const wrong = pins.filter(({ reference, id }) => attempt('docker', ['image', 'inspect', '--format', '{{.Id}}', reference], { env: dockerEnv(restarted) }).stdout.trim() !== id);
  if (wrong.length > 0) throw new Error(`the engine does not resolve ${wrong.map((pin) => pin.reference).join(', ')} to its stand-in`);
  log(`pinned references registered: ${pins.map((pin) => `${pin.reference} -> ${pin.id}`).join(', ')}\n`);
  return { engine: restarted, references: pins.map((pin) => pin.reference) };
}

/** `name:tag@sha256:…` as the reference store keys it: the familiar name, and the digest. */
export function splitPinned(reference: string): { name: string; digest: string } {
  const match = /^(.+?)(?::[\w][\w.-]{0,127})?@(sha256:[0-9a-f]{64})$/.exec(reference);
  if (!match || match[1].includes('@')) throw new Error(`not a digest-pinned reference: ${reference}`);
  return { name: match[1], digest: match[2] };
}

function imageId(engine: Engine, reference: string): string {
  return run('docker', ['image', 'inspect', '--format', '{{.Id}}', reference], { env: dockerEnv(engine) }).trim();
}

/** The images a Compose file names that the engine does not have. */
export function missingImages(engine: Engine, images: readonly string[]): string[] {
  return images.filter((image) => attempt('docker', ['image', 'inspect', image], { env: dockerEnv(engine) }).status !== 0);
}
