import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, ContainerService, Stack, Testing } from '../../lib';
import { hostReferences, readsAsHost } from '../../lib/model/host-references';
import { checkStackOutput } from '../support/real-tools';

describe('which words name a host', () => {
  const read = (text: string, context: { variable?: string; previousWord?: string }) =>
    hostReferences(text).filter((r) => readsAsHost(r, context)).map((r) => r.host);

  it.each([
    ['db:5432', { variable: 'DB_ADDR' }, ['db']],
    ['postgres://u:p@db/app', { variable: 'DATABASE_URL' }, ['db']],
    ['redis', { variable: 'REDIS_HOST' }, ['redis']],
    ['kafka', { variable: 'KAFKA_BROKER' }, ['kafka']],
    ['gitea', { variable: 'POSTGRES_USER' }, []],
    ['gitea', { variable: 'POSTGRES_DB' }, []],
    ['worker', { previousWord: 'celery' }, []],
    ['cache', { previousWord: '-h' }, ['cache']],
    ['db', { previousWord: '--host' }, ['db']],
  ])('%s (%j) -> %j', (text, context, hosts) => {
    expect(read(text, context)).toEqual(hosts);
  });

  it.each([
    // `//` without a scheme is no URL, and `scheme:///path` has no host.
    ["sed -n 's/^psql //p' migrate.sql", []],
    ['host: unix:///var/run/docker.sock', []],
    ['url: http://api:8080/metrics', ['api']],
    ['DATABASE_URL=postgresql+asyncpg://app@db/app', ['db']],
  ])('in config text %j, the URLs name %j', (text, hosts) => {
    expect(hostReferences(text).filter((r) => r.inUrl).map((r) => r.host)).toEqual(hosts);
  });
});

describe('ports others reach', () => {
  it('does not give a workload a Service port because a user or database shares its name', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    new ContainerService(stack, 'gitea', { image: 'gitea/gitea:1.22', ports: [{ port: 3000 }], env: { DB_HOST: 'db:5432', DB_USER: 'gitea' } });
    new ContainerService(stack, 'db', { image: 'postgres:16', env: { POSTGRES_USER: 'gitea', POSTGRES_DB: 'gitea' } });
    const out = Testing.synth(stack);
    // db is reached on 5432; nothing reaches gitea, which keeps only its own port.
    expect(out.compose!.services.db.networks).toEqual(['reach-db']);
    expect(out.compose!.services.gitea.networks).toContain('reach-db');
    expect((out.manifests.find((m) => m.kind === "Service" && m.metadata.name === "db") as any).spec.ports.map((p: any) => p.port)).toEqual([5432]);
  });

  it('passes the real tools and the connections check with such a name', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-reach-'));
    try {
      const app = new App({ outdir, printSummary: false });
      const stack = new Stack(app, 'shop');
      new ContainerService(stack, 'gitea', { image: 'gitea/gitea:1.22', ports: [{ port: 3000 }], env: { DB_HOST: 'db:5432', DB_USER: 'gitea' } });
      new ContainerService(stack, 'db', { image: 'postgres:16', env: { POSTGRES_USER: 'gitea', POSTGRES_DB: 'gitea' } });
      app.synth();
      checkStackOutput(path.join(outdir, 'shop'));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
