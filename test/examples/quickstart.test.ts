import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { App } from '../../lib';
import { defineQuickstart } from '../../examples/quickstart/app';
import { checkStackOutput } from '../support/real-tools';
import { readTree } from '../support/files';

function synthInto(outdir: string) {
  const app = new App({ outdir, printSummary: false });
  defineQuickstart(app);
  return app.synth();
}

describe('the quickstart example', () => {
  let outdir: string;
  let files: Record<string, string>;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-quickstart-'));
    synthInto(outdir);
    files = readTree(path.join(outdir, 'quickstart'));
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('passes the Compose schema, docker-compose config, the Kubernetes schemas and kubectl kustomize', () => {
    expect(() => checkStackOutput(path.join(outdir, 'quickstart'))).not.toThrow();
  });

  it('writes the same bytes on a second run', () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-quickstart-again-'));
    try {
      synthInto(again);
      expect(readTree(path.join(again, 'quickstart'))).toEqual(files);
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it('writes one Kubernetes object per file and lists each in the kustomization', () => {
    const manifests = Object.keys(files).filter((f) => f.startsWith('k8s/') && f !== 'k8s/kustomization.yaml');
    const kustomization = parse(files['k8s/kustomization.yaml']);
    expect(kustomization.resources.map((r: string) => `k8s/${r}`).sort()).toEqual(manifests.sort());
    for (const file of manifests) {
      expect(parse(files[file]).metadata.name).toBeDefined();
    }
  });

  it('starts the API only after the migration succeeded and the databases are healthy, on both targets', () => {
    const compose = parse(files['compose.yaml']);
    expect(compose.services.backend.depends_on).toEqual({
      'db-migrate': { condition: 'service_completed_successfully' },
      db: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    const job = parse(files['k8s/job-db-migrate.yaml']);
    const deployment = parse(files['k8s/deployment-backend.yaml']);
    const waits = deployment.spec.template.spec.initContainers.map((c: { command: string[] }) => c.command.join(' '));
    expect(waits).toEqual([
      `kubectl --cache-dir=/tmp/kubectl wait --for=condition=complete --timeout=600s job/${job.metadata.name}`,
      expect.stringContaining('nc -z -w 2 db 5432'),
      expect.stringContaining('nc -z -w 2 redis 6379'),
    ]);
  });

  it('never writes a secret value and lists every secret in .env.example', () => {
    expect(files['.env.example']).toMatch(/^POSTGRES_PASSWORD=$/m);
    expect(files['.env.example']).toMatch(/^JWT_SECRET=$/m);
    expect(files['compose.yaml']).toContain('${POSTGRES_PASSWORD:?');
    expect(files['k8s/deployment-backend.yaml']).toContain('$(POSTGRES_PASSWORD)@db:5432/myapp');
  });

  it('matches the snapshot', () => {
    expect(files).toMatchSnapshot();
  });
});
