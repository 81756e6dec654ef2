// The examples' Helm charts installed into a real kube-apiserver: a server-side dry run first,
// then a real install, in a namespace per stack that enforces Pod Security "baseline".
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { kubernetesName } from '../../lib/core/names';
import { ensureHelm } from '../support/helm-binary';
import { synthesizeExamples } from './examples';
import { Cluster, startCluster } from './harness/cluster';

describe('the examples\' Helm charts on the API server', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-cluster-charts-'));
  synthesizeExamples(outdir);
  const stacks = fs.readdirSync(outdir).filter((name) => fs.existsSync(path.join(outdir, name, 'chart', 'Chart.yaml'))).sort();
  const helm = ensureHelm();
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster();
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  const runHelm = (args: string[]) => {
    const home = path.join(outdir, '.helm-home');
    const result = spawnSync(helm, [...args, '--kubeconfig', cluster.kubeconfig], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: home, HELM_CACHE_HOME: `${home}/cache`, HELM_CONFIG_HOME: `${home}/config`, HELM_DATA_HOME: `${home}/data` },
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  it('has a chart for every example stack', () => {
    expect(stacks.length).toBeGreaterThanOrEqual(13);
  });

  it.each(stacks)('installs %s: a server-side dry run, then for real, and the release lists its workloads', (stack) => {
    const namespace = kubernetesName(`helm-${stack}`);
    expect(cluster.kubectl(['create', 'namespace', namespace]).status).toBe(0);
    expect(cluster.kubectl(['label', 'namespace', namespace, 'pod-security.kubernetes.io/enforce=baseline']).status).toBe(0);
    const chart = path.join(outdir, stack, 'chart');
    const dryRun = runHelm(['install', 'rel', chart, '--namespace', namespace, '--dry-run=server']);
    expect(dryRun.output).not.toMatch(/Error/);
    expect(dryRun.status).toBe(0);
    const install = runHelm(['install', 'rel', chart, '--namespace', namespace]);
    expect(install.output).not.toMatch(/Error/);
    expect(install.status).toBe(0);
    const listed = cluster.kubectl(['get', 'deployments,statefulsets,daemonsets,jobs', '-n', namespace, '-o', 'name']);
    expect(listed.status).toBe(0);
    expect(listed.stdout.trim().split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(runHelm(['status', 'rel', '--namespace', namespace]).output).toMatch(/STATUS: deployed/);
  });
});
