import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App,
  ContainerService,
  Finding,
  HARDENING_RULES,
  Hardening,
  HealthCheck,
  Logging,
  MigrationJob,
  PostgresService,
  Secret,
  Size,
  Stack,
  StaticSite,
  Testing,
  WebApp,
  Worker,
  synthesize,
} from '../../lib';

function findingsOf(app: App): Finding[] {
  return [...synthesize(app).findings];
}

function rulesFor(findings: Finding[], constructPath: string, open = true): string[] {
  return findings.filter((f) => f.path === constructPath && (f.acknowledged === undefined) === open).map((f) => f.ruleId);
}

const HARDENED = {
  image: 'ghcr.io/acme/api:1.4.2',
  ports: [{ port: 8080 }],
  healthCheck: HealthCheck.http('/healthz'),
  resources: { limits: { cpu: 0.5, memory: Size.mebibytes(256) } },
  security: { user: 1000, group: 1000, readOnlyRootFilesystem: true, dropCapabilities: ['ALL'] },
};

describe('hardening rules', () => {
  it('finds nothing in a hardened service', () => {
    const app = Testing.app();
    new ContainerService(new Stack(app, 'shop'), 'api', HARDENED);
    expect(findingsOf(app)).toEqual([]);
  });

  it('reports each rule a bare service breaks, by construct path', () => {
    const app = Testing.app();
    new ContainerService(new Stack(app, 'shop'), 'api', { image: 'ghcr.io/acme/api', ports: [{ port: 8080 }] });
    expect(rulesFor(findingsOf(app), 'shop/api')).toEqual([
      'CKC-USER',
      'CKC-READ-ONLY',
      'CKC-CAPABILITIES',
      'CKC-LIMITS',
      'CKC-PINNED',
      'CKC-HEALTH',
    ]);
  });

  it.each([
    ['runs as root', { security: { ...HARDENED.security, user: 0 } }, 'CKC-USER', /runs as root/],
    ['adds SYS_ADMIN back', { security: { ...HARDENED.security, addCapabilities: ['SYS_ADMIN'] } }, 'CKC-PRIVILEGE', /SYS_ADMIN/],
    ['allows privilege escalation', { security: { ...HARDENED.security, noNewPrivileges: false } }, 'CKC-PRIVILEGE', /privilege escalation/],
    ['has a memory limit only', { resources: { limits: { memory: Size.mebibytes(256) } } }, 'CKC-LIMITS', /has no cpu limit/],
    ['uses :latest', { image: 'nginx:latest' }, 'CKC-PINNED', /uses :latest/],
    ['has no tag behind a registry port', { image: 'registry.local:5000/team/api' }, 'CKC-PINNED', /has no tag/],
  ])('reports a service that %s', (_, override, ruleId, message) => {
    const app = Testing.app();
    new ContainerService(new Stack(app, 'shop'), 'api', { ...HARDENED, ...override });
    const findings = findingsOf(app);
    expect(findings.map((f) => f.ruleId)).toEqual([ruleId]);
    expect(findings[0].message).toMatch(message);
  });

  it('accepts an image pinned by digest, and a tagged image behind a registry port', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    new ContainerService(stack, 'a', { ...HARDENED, image: 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64) });
    new ContainerService(stack, 'b', { ...HARDENED, image: 'registry.local:5000/team/api:2.0.1' });
    expect(findingsOf(app)).toEqual([]);
  });

  it('reports a database port published outside a development stack, and not inside one', () => {
    const app = Testing.app();
    const environments = ['dev', 'development', 'local', 'Dev-Alice', 'prod', 'devops'];
    for (const environment of environments) {
      new PostgresService(new Stack(app, `shop-${environment.toLowerCase()}`, { environment }), 'db', {
        password: Secret.fromEnv('POSTGRES_PASSWORD'),
        hostPort: 5432,
      });
    }
    const findings = findingsOf(app);
    const reported = environments.filter((e) => rulesFor(findings, `shop-${e.toLowerCase()}/db`).includes('CKC-DATABASE-PORT'));
    expect(reported).toEqual(['prod', 'devops']);
    expect(findings.find((f) => f.path === 'shop-prod/db' && f.ruleId === 'CKC-DATABASE-PORT')?.message).toMatch(
      /publishes its data port on host port 5432 in environment "prod"; publish it only in a development stack \(environment 'dev', 'development', 'local', or a name starting with one\)/,
    );
  });

  it('asks a long-running worker for a health check, but not a one-shot job', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    new Worker(stack, 'worker', { image: 'ghcr.io/acme/api:1.4.2' });
    new MigrationJob(stack, 'migrate', { image: 'ghcr.io/acme/api:1.4.2' });
    const findings = findingsOf(app);
    expect(rulesFor(findings, 'shop/worker')).toContain('CKC-HEALTH');
    expect(rulesFor(findings, 'shop/migrate')).not.toContain('CKC-HEALTH');
  });

  it('has a unique id and a title for every rule', () => {
    const ids = HARDENING_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of HARDENING_RULES) expect(rule.title).toMatch(/^[a-z]/);
  });
});

describe('acknowledging findings', () => {
  it('keeps an acknowledged finding, with its reason, apart from the open ones', () => {
    const app = Testing.app();
    const api = new ContainerService(new Stack(app, 'shop'), 'api', { ...HARDENED, resources: undefined });
    Hardening.of(api).acknowledge('CKC-LIMITS', 'limits are set by the namespace LimitRange in production');
    expect(findingsOf(app)).toEqual([
      { ruleId: 'CKC-LIMITS', path: 'shop/api', message: expect.any(String), acknowledged: 'limits are set by the namespace LimitRange in production' },
    ]);
  });

  it('applies an acknowledgement on a stack to every workload in it', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    new ContainerService(stack, 'a', { ...HARDENED, resources: undefined });
    new ContainerService(stack, 'b', { ...HARDENED, resources: undefined });
    Hardening.of(stack).acknowledge('CKC-LIMITS', 'a laptop stack; the prod stack sets limits');
    expect(findingsOf(app).every((f) => f.acknowledged === 'a laptop stack; the prod stack sets limits')).toBe(true);
  });

  it('runs the official database images as their own non-root users, and acknowledges root only where asked to start as it', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
    new PostgresService(stack, 'legacy', { password: Secret.fromEnv('POSTGRES_PASSWORD'), startAsRoot: true });
    new StaticSite(stack, 'web', { image: 'nginx:1.27-alpine' });
    const findings = findingsOf(app);
    expect(rulesFor(findings, 'shop/db', false)).toEqual(['CKC-READ-ONLY']);
    expect(rulesFor(findings, 'shop/legacy', false)).toEqual(['CKC-USER', 'CKC-READ-ONLY', 'CKC-CAPABILITIES']);
    expect(findings.find((f) => f.path === 'shop/legacy' && f.ruleId === 'CKC-USER')?.acknowledged).toMatch(/^startAsRoot: .*postgres user/);
    expect(rulesFor(findings, 'shop/web', false)).toEqual(['CKC-USER', 'CKC-CAPABILITIES']);
    // What the image could do but the source did not ask for stays open.
    expect(rulesFor(findings, 'shop/db')).toEqual(['CKC-LIMITS']);
  });

  it('fails when a rule id is unknown or the reason is missing', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    const api = new ContainerService(stack, 'api', HARDENED);
    Hardening.of(api).acknowledge('CKC-ROOT', 'because the image needs it');
    Hardening.of(api).acknowledge('CKC-USER', '');
    expect(() => Testing.synth(stack)).toThrow(/\[shop\/api\] acknowledges unknown hardening rule "CKC-ROOT"; the rules are CKC-USER, .*\n.*\[shop\/api\] acknowledges CKC-USER without a reason/);
  });
});

describe('strict synth', () => {
  it('fails on open findings, naming the rule and how to acknowledge it, and writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-strict-'));
    try {
      const app = new App({ outdir, printSummary: false, strict: true });
      new ContainerService(new Stack(app, 'shop'), 'api', { ...HARDENED, resources: undefined });
      expect(() => app.synth()).toThrow(/\[shop\/api\] \[CKC-LIMITS\] has no cpu or memory limit.*Hardening.of\(construct\).acknowledge\('CKC-LIMITS', reason\)/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('passes for a fully hardened stack that the public reaches: a host port on Compose, an Ingress on Kubernetes', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-strict-'));
    try {
      const app = new App({ outdir, printSummary: false, strict: true });
      const stack = new Stack(app, 'shop');
      const { ports, ...hardened } = HARDENED;
      new WebApp(stack, 'web', {
        ...hardened,
        port: ports[0].port,
        hostPort: 8080,
        publicEndpoint: { host: 'shop.example.com', tlsSecretName: 'shop-tls' },
        logging: Logging.jsonFile({ maxSize: Size.mebibytes(10), maxFiles: 3 }),
      });
      new WebApp(stack, 'admin', { ...hardened, port: 9000, publicEndpoint: { host: 'admin.example.com' } });

      const result = app.synth();

      // What each target cannot say is still reported, as notes.
      expect(result.messages).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ level: 'info', path: 'shop/web', message: expect.stringMatching(/^host port 8080 is published on Compose only/) }),
          expect.objectContaining({ level: 'info', path: 'shop/web', message: expect.stringMatching(/^logging driver json-file and its options are left out on Kubernetes/) }),
          expect.objectContaining({ level: 'info', path: 'shop/admin', message: expect.stringMatching(/^public endpoint admin\.example\.com\/ has no Compose equivalent/) }),
        ]),
      );
      expect(fs.readdirSync(outdir)).toContain('shop');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('passes when every finding is acknowledged', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-strict-'));
    try {
      const app = new App({ outdir, printSummary: false, strict: true });
      const api = new ContainerService(new Stack(app, 'shop'), 'api', { ...HARDENED, resources: undefined });
      Hardening.of(api).acknowledge('CKC-LIMITS', 'limits are set by the namespace LimitRange');
      expect(() => app.synth()).not.toThrow();
      expect(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).findings).toEqual([
        expect.objectContaining({ ruleId: 'CKC-LIMITS', acknowledged: 'limits are set by the namespace LimitRange' }),
      ]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
