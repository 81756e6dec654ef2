import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  AgentHostPaths,
  AgentService,
  App,
  ContainerService,
  HARDENING_RULES,
  HealthCheck,
  PostgresService,
  RedisService,
  Secret,
  Size,
  Stack,
  StackProps,
  Testing,
  WebApp,
  synthesize,
} from '../../lib';
import { Annotations } from '../../lib/testing';
import { podSecurityViolations } from '../../lib/hardening/pod-security';
import { buildStackModel } from '../../lib/synth/build-model';
import { checkStackOutput, kubectlKustomize } from '../support/real-tools';
import { thrown } from '../support/thrown';

const RESTRICTED_SECURITY = { user: 1000, group: 1000, readOnlyRootFilesystem: true, dropCapabilities: ['ALL'] };

function restrictedStack(props: StackProps = {}): { app: App; stack: Stack } {
  const app = Testing.app();
  return { app, stack: new Stack(app, 'shop', { podSecurity: 'restricted', ...props }) };
}

describe('a stack that declares its Pod Security level', () => {
  it('fails synth naming the workload and the control its pods would be refused for', () => {
    const { app, stack } = restrictedStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0', port: 8080 });
    const message = thrown(() => app.synth());
    expect(message).toContain('[shop/api] its pods would be refused by Pod Security "restricted" (stack podSecurity), control "Running as Non-root"');
    expect(message).toContain('control "Capabilities": keeps the default capabilities');
  });

  it('admits a workload whose security settings pass restricted, and the database constructs as they come', () => {
    const { stack } = restrictedStack();
    const password = Secret.fromEnv('DB_PASSWORD');
    const db = new PostgresService(stack, 'db', { version: '16', password });
    const cache = new RedisService(stack, 'cache', { version: '7' });
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0', port: 8080, security: RESTRICTED_SECURITY }).connect(db).connect(cache);
    Annotations.fromStack(stack).hasNoError('*', /Pod Security/);
  });

  it('refuses a database that starts as root to take over its data directory', () => {
    const { stack } = restrictedStack();
    new PostgresService(stack, 'db', { version: '16', password: Secret.fromEnv('DB_PASSWORD'), startAsRoot: true });
    Annotations.fromStack(stack).hasError('/shop/db', /control "Running as Non-root"/);
  });

  it('refuses capabilities restricted does not allow back, naming them', () => {
    const { stack } = restrictedStack();
    new ContainerService(stack, 'proxy', { image: 'nginx:1.27', security: { ...RESTRICTED_SECURITY, addCapabilities: ['NET_BIND_SERVICE', 'CHOWN'] } });
    Annotations.fromStack(stack).hasError('/shop/proxy', /control "Capabilities": adds CHOWN; restricted allows adding back NET_BIND_SERVICE only/);
  });

  it('at baseline admits an app that runs as root, but not an agent that mounts host paths', () => {
    const { stack } = restrictedStack({ podSecurity: 'baseline' });
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0', port: 8080 });
    new AgentService(stack, 'agent', { image: 'grafana/agent:v0.40.5', hostPaths: [AgentHostPaths.podLogs()] });
    const annotations = Annotations.fromStack(stack);
    annotations.hasNoError('/shop/api', /Pod Security/);
    annotations.hasError('/shop/agent', /Pod Security "baseline".*control "HostPath Volumes": mounts host paths \(\/var\/log\/pods\)/);
  });

  it('does not judge workloads left out on Kubernetes', () => {
    const { stack } = restrictedStack({ profiles: [] });
    new ContainerService(stack, 'mailhog', { image: 'mailhog/mailhog:v1.0.1', profiles: ['dev'] });
    new ContainerService(stack, 'api', { image: 'ghcr.io/acme/api:1.0', security: RESTRICTED_SECURITY });
    Annotations.fromStack(stack).hasNoError('*', /Pod Security/);
  });

  it('rejects a level that is not one of the standard three', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop', { podSecurity: 'strict' as never });
    new ContainerService(stack, 'api', { image: 'ghcr.io/acme/api:1.0' });
    Annotations.fromStack(stack).hasError('/shop', "podSecurity \"strict\" is not a Pod Security Standard level; use 'privileged', 'baseline', 'restricted'");
  });

  it('writes its namespace labelled to enforce, warn and audit the level, which the real tools accept', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-pod-security-'));
    try {
      const app = new App({ outdir, printSummary: false });
      const stack = new Stack(app, 'shop', { namespace: 'shop-prod', podSecurity: 'restricted' });
      new ContainerService(stack, 'api', { image: 'ghcr.io/acme/api:1.0', ports: [{ port: 8080 }], security: RESTRICTED_SECURITY });
      app.synth();
      checkStackOutput(path.join(outdir, 'shop'));
      const namespace = kubectlKustomize(path.join(outdir, 'shop', 'k8s')).objects.find((o: any) => o.kind === 'Namespace') as any;
      expect(namespace.metadata.name).toBe('shop-prod');
      expect(namespace.metadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('writes no Namespace without a namespace to name, nor without a level', () => {
    const bare = restrictedStack();
    new ContainerService(bare.stack, 'api', { image: 'ghcr.io/acme/api:1.0', security: RESTRICTED_SECURITY });
    expect(Testing.synth(bare.stack).manifests.map((m) => m.kind)).not.toContain('Namespace');
    const app = Testing.app();
    const named = new Stack(app, 'shop', { namespace: 'shop-prod' });
    new ContainerService(named, 'api', { image: 'ghcr.io/acme/api:1.0' });
    expect(Testing.synth(named).manifests.map((m) => m.kind)).not.toContain('Namespace');
  });

  it('says where to put the label when it writes no namespace', () => {
    const { stack } = restrictedStack();
    new ContainerService(stack, 'api', { image: 'ghcr.io/acme/api:1.0', security: RESTRICTED_SECURITY });
    const messages = synthesize(stack.node.root).messages.filter((m) => m.path === 'shop');
    expect(messages.map((m) => m.message)).toContain(
      "podSecurity 'restricted' is checked, but no namespace is written: label the namespace you apply to with pod-security.kubernetes.io/enforce=restricted",
    );
  });
});

/** Every security setting the restricted controls look at, each way it can go. */
function* securityVariants() {
  for (const user of [undefined, 0, 1000]) {
    for (const dropCapabilities of [[], ['ALL']]) {
      for (const addCapabilities of [[], ['NET_BIND_SERVICE'], ['CHOWN'], ['SYS_TIME'], ['SYS_ADMIN']]) {
        for (const noNewPrivileges of [true, false]) {
          yield { user, dropCapabilities, addCapabilities, noNewPrivileges };
        }
      }
    }
  }
}

describe('the hardening rules and the restricted Pod Security Standard', () => {
  const POD_SECURITY_RULES = ['CKC-USER', 'CKC-CAPABILITIES', 'CKC-PRIVILEGE', 'CKC-HOST-PATH'];

  it('are the rules the pack runs', () => {
    expect(HARDENING_RULES.map((r) => r.id)).toEqual(expect.arrayContaining(POD_SECURITY_RULES));
  });

  it('agree: a workload with no finding of those rules is admitted, and one with a finding is refused', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    const variants = [...securityVariants()];
    variants.forEach((security, i) => {
      new ContainerService(stack, `app-${i}`, {
        image: 'ghcr.io/acme/api:1.0',
        healthCheck: HealthCheck.http('/healthz', { port: 8080 }),
        resources: { limits: { cpu: 0.5, memory: Size.mebibytes(256) } },
        security: { ...security, readOnlyRootFilesystem: true },
      });
    });
    new AgentService(stack, 'agent', { image: 'grafana/agent:v0.40.5', hostPaths: [AgentHostPaths.podLogs()], security: RESTRICTED_SECURITY });
    const model = buildStackModel(stack);
    let disagreements = 0;
    for (const workload of model.workloads) {
      const findings = HARDENING_RULES.filter((rule) => POD_SECURITY_RULES.includes(rule.id) && rule.check(workload, model) !== undefined);
      const refused = podSecurityViolations(workload, 'restricted').length > 0;
      if (refused !== findings.length > 0) disagreements++;
    }
    expect(model.workloads).toHaveLength(variants.length + 1);
    expect(disagreements).toBe(0);
  });
});
