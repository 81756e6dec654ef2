import type { KubeObject } from '../examples';
import { applyServerSide, manifestStream } from './apply';
import type { Cluster } from './cluster';

/** A cluster whose kubectl prints `output` and exits with `status`, recording what it was given. */
function fakeCluster(output: string, status = 0): { cluster: Cluster; calls: Array<{ args: readonly string[]; input?: string | Buffer }> } {
  const calls: Array<{ args: readonly string[]; input?: string | Buffer }> = [];
  const cluster = {
    kubectl: (args: readonly string[], options: { input?: string | Buffer } = {}) => {
      calls.push({ args, input: options.input });
      return { status, stdout: output, stderr: '' };
    },
  } as unknown as Cluster;
  return { cluster, calls };
}

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' } },
];

describe('applyServerSide', () => {
  it('runs a strict server-side apply of the objects as one JSON List', () => {
    const { cluster, calls } = fakeCluster('');
    applyServerSide(cluster, 'shop', objects, { dryRun: true });
    expect(calls[0].args).toEqual(['apply', '--server-side', '--field-manager=cdk-compose-tests', '--validate=strict', '-n', 'shop', '-f', '-', '--dry-run=server']);
    expect(JSON.parse(String(calls[0].input))).toEqual({ apiVersion: 'v1', kind: 'List', items: objects });
    expect(manifestStream(objects)).toBe(calls[0].input);
  });

  it('gives each warning to the object kubectl names after it, and keeps errors apart', () => {
    const output = [
      'service/api serverside-applied (server dry run)',
      'Warning: would violate PodSecurity "restricted:latest": runAsNonRoot != true (pod or container "api" must set securityContext.runAsNonRoot=true)',
      'deployment.apps/api serverside-applied (server dry run)',
      'Warning: would violate PodSecurity "baseline:latest": hostPath volumes (volumes "proc")',
      'Error from server: error when applying patch: DaemonSet.apps "agent" is invalid: spec.selector: Required value',
    ].join('\n');
    const result = applyServerSide(fakeCluster(output, 1).cluster, 'shop', objects, { dryRun: true });
    expect(result.applied).toEqual(['Service/api', 'Deployment/api']);
    expect([...result.warnings]).toEqual([
      ['Deployment/api', ['would violate PodSecurity "restricted:latest": runAsNonRoot != true (pod or container "api" must set securityContext.runAsNonRoot=true)']],
    ]);
    expect(result.errors).toEqual([
      'Error from server: error when applying patch: DaemonSet.apps "agent" is invalid: spec.selector: Required value',
      'Warning: would violate PodSecurity "baseline:latest": hostPath volumes (volumes "proc")',
    ]);
  });
});
