import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DbAdmin, MailCatcher, PostgresService, Secret, Stack, WebApp } from '../../lib';
import { checkStackOutput, kubectlKustomize, kubectlKustomizeProfile } from '../support/real-tools';

type Objects = { kind: string; metadata: { name: string }; spec?: any }[];

const names = (objects: Objects) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

/** A dev stack: the app and its database, and in profile dev a mail catcher and pgAdmin. */
function synthDevStack(props: { profiles?: string[] } = {}): { dir: string; cleanup: () => void } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-profiles-'));
  const app = new App({ outdir, printSummary: false });
  const stack = new Stack(app, 'shop', { environment: 'dev', ...props });
  const db = new PostgresService(stack, 'db', { version: '16', password: Secret.fromEnv('POSTGRES_PASSWORD') });
  new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0', port: 8080, security: { user: 1000, dropCapabilities: ['ALL'] } }).connect(db, { env: 'DATABASE_URL' });
  new MailCatcher(stack, 'mailhog');
  new DbAdmin(stack, 'pgadmin', { servers: [db], password: Secret.fromEnv('PGADMIN_PASSWORD') });
  app.synth();
  return { dir: path.join(outdir, 'shop'), cleanup: () => fs.rmSync(outdir, { recursive: true, force: true }) };
}

describe('profiles on Kubernetes', () => {
  it('leave a profile off by default, as Compose does, and deploy it from k8s-profiles/<profile> with what it connects to admitted', () => {
    const { dir, cleanup } = synthDevStack();
    try {
      checkStackOutput(dir);
      const base = kubectlKustomize(path.join(dir, 'k8s')).objects as Objects;
      const withDev = kubectlKustomizeProfile(dir, 'dev').objects as Objects;
      expect(names(base)).not.toContain('Deployment/mailhog');
      expect(names(base)).not.toContain('Deployment/pgadmin');
      expect(names(withDev)).toEqual(expect.arrayContaining(['Deployment/mailhog', 'Service/mailhog', 'Deployment/pgadmin', 'Service/pgadmin', 'Deployment/api', 'StatefulSet/db']));
      // Everything of the stack is there once, and nothing else changed but what admits pgAdmin.
      expect(new Set(names(withDev)).size).toBe(withDev.length);
      const dbPolicy = (objects: Objects) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'db-ingress')!;
      const admitted = (objects: Objects) => JSON.stringify(dbPolicy(objects).spec.ingress);
      expect(admitted(base)).not.toContain('pgadmin');
      expect(admitted(withDev)).toContain('pgadmin');
      const unchanged = base.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'db-ingress'));
      for (const object of unchanged) expect(withDev).toContainEqual(object);
    } finally {
      cleanup();
    }
  });

  it('put a profile the stack enables into k8s/ itself, with no kustomization of its own', () => {
    const { dir, cleanup } = synthDevStack({ profiles: ['dev'] });
    try {
      expect(fs.existsSync(path.join(dir, 'k8s-profiles'))).toBe(false);
      expect(names(kubectlKustomize(path.join(dir, 'k8s')).objects)).toContain('Deployment/pgadmin');
    } finally {
      cleanup();
    }
  });

  it("read the secrets of a profile's workloads from the stack's Secret, so .env is filled in once", () => {
    const { dir, cleanup } = synthDevStack();
    try {
      const secret = (kubectlKustomize(path.join(dir, 'k8s')).objects as any[]).find((o) => o.kind === 'Secret');
      expect(Object.keys(secret.data)).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'PGADMIN_PASSWORD']));
    } finally {
      cleanup();
    }
  });
});
