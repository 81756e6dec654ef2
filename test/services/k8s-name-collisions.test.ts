import { AgentService, ConfigFile, EnvFile, Mount, PostgresService, Secret, SynthesizedStack, Volume, WebApp, Worker } from '../../lib';
import { container, manifest } from '../support/manifests';
import { synthChecked } from '../support/synth-checked';

// Names that cdk-compose derives from paths, file names and workload names must stay distinct
// where Kubernetes or kustomize wants them unique: the volumes and containers of one pod, the
// ConfigMaps of one stack. The real tools do not check the pod's part (the API server does), so
// every test here checks it itself and runs the output through the real tools as well.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The pod spec of every controller in the output. */
function podSpecs(out: SynthesizedStack): { object: string; spec: any; claims: string[] }[] {
  return out.manifests
    .filter((m: any) => m.spec?.template?.spec)
    .map((m: any) => ({
      object: `${m.kind}/${m.metadata.name}`,
      spec: m.spec.template.spec,
      claims: (m.spec.volumeClaimTemplates ?? []).map((c: any) => c.metadata.name),
    }));
}

function duplicates(names: string[]): string[] {
  return names.filter((name, i) => names.indexOf(name) !== i);
}

/**
 * What the API server would refuse in a pod: two volumes or two containers of one name, a
 * name that is not a DNS label, a volume mount of no volume.
 */
function podNameProblems(out: SynthesizedStack): string[] {
  const problems: string[] = [];
  for (const { object, spec, claims } of podSpecs(out)) {
    const volumes: string[] = (spec.volumes ?? []).map((v: any) => v.name);
    const containers: any[] = [...(spec.initContainers ?? []), ...spec.containers];
    const containerNames = containers.map((c) => c.name);
    for (const name of duplicates([...volumes, ...claims])) problems.push(`${object}: volume ${name} twice`);
    for (const name of duplicates(containerNames)) problems.push(`${object}: container ${name} twice`);
    for (const name of [...volumes, ...containerNames]) {
      if (name.length > 63 || !DNS_LABEL.test(name)) problems.push(`${object}: ${name} is not a DNS label`);
    }
    for (const c of containers) {
      for (const mount of c.volumeMounts ?? []) {
        if (!volumes.includes(mount.name) && !claims.includes(mount.name)) problems.push(`${object}: ${c.name} mounts no volume ${mount.name}`);
      }
    }
  }
  return problems;
}

/** The volume of `object`'s pod that its main container mounts at `mountPath`. */
function volumeAt(object: any, mountPath: string): any {
  const mount = container(object).volumeMounts.find((m: any) => m.mountPath === mountPath);
  return object.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
}

function configMapNames(out: SynthesizedStack): string[] {
  return out.manifests.filter((m) => m.kind === 'ConfigMap').map((m) => m.metadata.name);
}

describe('generated Kubernetes names', () => {
  describe('volumes of a pod', () => {
    it('stay distinct for tmpfs paths that read alike once sanitized', () => {
      const out = synthChecked((stack) => {
        new Worker(stack, 'w', { image: 'busybox:1.36', mounts: [Mount.tmpfs('/mnt/a-b'), Mount.tmpfs('/mnt/a_b'), Mount.tmpfs('/mnt/a/b/')] });
      });

      expect(podNameProblems(out)).toEqual([]);
      const worker = manifest(out, 'Deployment', 'w');
      const names = ['/mnt/a-b', '/mnt/a_b', '/mnt/a/b/'].map((target) => volumeAt(worker, target).name);
      expect(new Set(names).size).toBe(3);
      for (const name of names) expect(name).toMatch(/^tmp-mnt-a-b-[0-9a-f]{10}$/);
    });

    it('keep the plain name of a tmpfs path that clashes with nothing', () => {
      const out = synthChecked((stack) => {
        new Worker(stack, 'w', { image: 'busybox:1.36', mounts: [Mount.tmpfs('/var/cache/my-app'), Mount.tmpfs('/tmp')] });
      });

      const worker = manifest(out, 'Deployment', 'w');
      expect(worker.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['tmp-var-cache-my-app', 'tmp-tmp']);
    });

    it('stay distinct for long tmpfs paths that share the part kept', () => {
      const stem = `/var/${'x'.repeat(70)}`;
      const out = synthChecked((stack) => {
        new Worker(stack, 'w', { image: 'busybox:1.36', mounts: [Mount.tmpfs(`${stem}/one`), Mount.tmpfs(`${stem}/two`)] });
      });

      expect(podNameProblems(out)).toEqual([]);
      const worker = manifest(out, 'Deployment', 'w');
      expect(volumeAt(worker, `${stem}/one`).name).not.toBe(volumeAt(worker, `${stem}/two`).name);
    });

    it('stay distinct for host paths that read alike once sanitized, and for one host path mounted twice', () => {
      const out = synthChecked((stack) => {
        new AgentService(stack, 'agent', {
          image: 'grafana/agent:v0.40.5',
          hostPaths: [{ path: '/var/log/pods' }, { path: '/var/log-pods' }, { path: '/var/log/pods', target: '/host/pods' }],
        });
      });

      expect(podNameProblems(out)).toEqual([]);
      const agent = manifest(out, 'DaemonSet', 'agent');
      expect(volumeAt(agent, '/var/log/pods').hostPath.path).toBe('/var/log/pods');
      expect(volumeAt(agent, '/var/log-pods').hostPath.path).toBe('/var/log-pods');
      expect(volumeAt(agent, '/host/pods').hostPath.path).toBe('/var/log/pods');
    });

    it('give a volume mounted at two paths one volume of the pod', () => {
      const out = synthChecked((stack) => {
        const shared = new Volume(stack, 'shared');
        new Worker(stack, 'w', {
          image: 'busybox:1.36',
          mounts: [Mount.volume(shared, '/a'), Mount.volume(shared, '/b', { readOnly: true })],
        });
      });

      expect(podNameProblems(out)).toEqual([]);
      const worker = manifest(out, 'Deployment', 'w');
      expect(worker.spec.template.spec.volumes).toEqual([{ name: 'shared', persistentVolumeClaim: { claimName: 'shared' } }]);
      expect(container(worker).volumeMounts).toEqual([
        { name: 'shared', mountPath: '/a' },
        { name: 'shared', mountPath: '/b', readOnly: true },
      ]);
    });

    it('stay distinct when a volume is named like a generated name or like the data claim', () => {
      const out = synthChecked((stack) => {
        const tmpRun = new Volume(stack, 'tmp-run');
        const data = new Volume(stack, 'data');
        new Worker(stack, 'tmp', {
          image: 'busybox:1.36',
          mounts: [Mount.volume(tmpRun, '/a'), Mount.tmpfs('/run'), Mount.config(ConfigFile.fromString('run', 'x'), '/etc/run')],
        });
        new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), mounts: [Mount.volume(data, '/backup')] });
      });

      expect(podNameProblems(out)).toEqual([]);
      const worker = manifest(out, 'Deployment', 'tmp');
      expect(volumeAt(worker, '/a').persistentVolumeClaim.claimName).toBe('tmp-run');
      expect(volumeAt(worker, '/run').emptyDir).toBeDefined();
      expect(volumeAt(worker, '/etc/run').configMap).toBeDefined();
      const db = manifest(out, 'StatefulSet', 'db');
      expect(volumeAt(db, '/backup').persistentVolumeClaim.claimName).toBe('data');
      expect(container(db).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    });

    it('fit a DNS label for a config file of a workload with a long name', () => {
      const out = synthChecked((stack) => {
        new Worker(stack, 'w'.repeat(55), { image: 'busybox:1.36', mounts: [Mount.config(ConfigFile.fromString('settings.conf', 'x'), '/etc/settings.conf')] });
      });

      expect(podNameProblems(out)).toEqual([]);
    });
  });

  describe('config files', () => {
    it('get distinct ConfigMaps and volumes for a.conf and a-conf of the same content', () => {
      const out = synthChecked((stack) => {
        new Worker(stack, 'w', {
          image: 'busybox:1.36',
          mounts: [Mount.config(ConfigFile.fromString('a.conf', 'same'), '/etc/a.conf'), Mount.config(ConfigFile.fromString('a-conf', 'same'), '/etc/a-conf')],
        });
      });

      expect(podNameProblems(out)).toEqual([]);
      expect(duplicates(configMapNames(out))).toEqual([]);
      const worker = manifest(out, 'Deployment', 'w');
      expect(volumeAt(worker, '/etc/a.conf').configMap.items).toEqual([{ key: 'a.conf', path: 'a.conf' }]);
      expect(volumeAt(worker, '/etc/a-conf').configMap.items).toEqual([{ key: 'a-conf', path: 'a-conf' }]);
      expect(volumeAt(worker, '/etc/a.conf').configMap.name).not.toBe(volumeAt(worker, '/etc/a-conf').configMap.name);
    });

    it('keep apart two files of one name and different content, on both targets', () => {
      const out = synthChecked((stack) => {
        new Worker(stack, 'w', {
          image: 'busybox:1.36',
          mounts: [Mount.config(ConfigFile.fromString('app.conf', 'one'), '/etc/one/app.conf'), Mount.config(ConfigFile.fromString('app.conf', 'two'), '/etc/two/app.conf')],
        });
      });

      expect(podNameProblems(out)).toEqual([]);
      expect(duplicates(configMapNames(out))).toEqual([]);
      const binds = (out.compose!.services.w as any).volumes as string[];
      const source = (target: string) => binds.find((b) => b.includes(`:${target}:`))!.split(':')[0].replace(/^\.\//, '');
      expect(out.files[source('/etc/one/app.conf')]).toBe('one');
      expect(out.files[source('/etc/two/app.conf')]).toBe('two');
      const worker = manifest(out, 'Deployment', 'w');
      const data = (target: string) => manifest(out, 'ConfigMap', volumeAt(worker, target).configMap.name).data;
      expect(data('/etc/one/app.conf')).toEqual({ 'app.conf': 'one' });
      expect(data('/etc/two/app.conf')).toEqual({ 'app.conf': 'two' });
    });

    it('pass the tools when one file is mounted at two paths', () => {
      const out = synthChecked((stack) => {
        const file = ConfigFile.fromString('app.conf', 'x');
        new Worker(stack, 'w', { image: 'busybox:1.36', mounts: [Mount.config(file, '/etc/app.conf'), Mount.config(file, '/opt/app.conf', { mode: 0o600 })] });
      });

      expect(podNameProblems(out)).toEqual([]);
      expect(duplicates(configMapNames(out))).toEqual([]);
    });

    it('stay distinct across workloads whose names and file names join alike', () => {
      const out = synthChecked((stack) => {
        new Worker(stack, 'a', { image: 'busybox:1.36', mounts: [Mount.config(ConfigFile.fromString('b-c.conf', 'x'), '/etc/x.conf')] });
        new Worker(stack, 'a-b', { image: 'busybox:1.36', mounts: [Mount.config(ConfigFile.fromString('c.conf', 'x'), '/etc/x.conf')] });
      });

      expect(podNameProblems(out)).toEqual([]);
      expect(configMapNames(out)).toHaveLength(2);
      expect(duplicates(configMapNames(out))).toEqual([]);
    });

    it('stay distinct when long names share the part a ConfigMap name keeps', () => {
      const out = synthChecked((stack) => {
        const workload = 'w'.repeat(40);
        new Worker(stack, workload, {
          image: 'busybox:1.36',
          mounts: [Mount.config(ConfigFile.fromString('settings-for-one.conf', 'x'), '/etc/one.conf'), Mount.config(ConfigFile.fromString('settings-for-two.conf', 'x'), '/etc/two.conf')],
        });
      });

      expect(podNameProblems(out)).toEqual([]);
      expect(duplicates(configMapNames(out))).toEqual([]);
    });

    it('keep the plain name of a file that clashes with nothing', () => {
      const out = synthChecked((stack) => {
        new Worker(stack, 'w', { image: 'busybox:1.36', mounts: [Mount.config(ConfigFile.fromString('nginx.conf', 'x'), '/etc/nginx/nginx.conf')] });
      });

      expect(volumeAt(manifest(out, 'Deployment', 'w'), '/etc/nginx/nginx.conf').name).toBe('w-nginx-conf');
      expect(out.files['config/w-nginx-conf/nginx.conf']).toBe('x');
    });
  });

  describe('env file ConfigMaps', () => {
    it('stay distinct for workloads whose names share their first 48 characters', () => {
      const stem = 'x'.repeat(48);
      const envFiles = [EnvFile.fromFile('test/synth/fixtures/env-files/base.env')];
      const out = synthChecked((stack) => {
        new Worker(stack, `${stem}-a`, { image: 'busybox:1.36', envFiles });
        new Worker(stack, `${stem}-b`, { image: 'busybox:1.36', envFiles });
      });

      expect(configMapNames(out)).toHaveLength(2);
      expect(duplicates(configMapNames(out))).toEqual([]);
      for (const worker of ['a', 'b']) {
        const name = container(manifest(out, 'Deployment', `${stem}-${worker}`)).envFrom[0].configMapRef.name;
        expect(manifest(out, 'ConfigMap', name).metadata.labels['app.kubernetes.io/name']).toBe(`${stem}-${worker}`);
      }
    });
  });

  describe('manifest files', () => {
    it('stay distinct for a config file named env and the ConfigMap of the env files', () => {
      const out = synthChecked((stack) => {
        new Worker(stack, 'w', {
          image: 'busybox:1.36',
          envFiles: [EnvFile.fromFile('test/synth/fixtures/env-files/base.env')],
          mounts: [Mount.config(ConfigFile.fromString('env', 'x'), '/etc/env')],
        });
      });

      expect(configMapNames(out)).toHaveLength(2);
      const resources = out.kustomization!.resources as string[];
      expect(duplicates(resources)).toEqual([]);
      expect(resources.filter((file) => file.startsWith('configmap-'))).toHaveLength(2);
    });
  });

  describe('init containers', () => {
    it('stay distinct for dependencies whose names share their first 54 characters', () => {
      const stem = 'a'.repeat(54);
      const out = synthChecked((stack) => {
        const x = new WebApp(stack, `${stem}x`, { image: 'nginx:1.27', port: 8080 });
        const y = new WebApp(stack, `${stem}y`, { image: 'nginx:1.27', port: 8080 });
        new Worker(stack, 'w', { image: 'busybox:1.36' }).connect(x).connect(y);
      });

      expect(podNameProblems(out)).toEqual([]);
      const waits = manifest(out, 'Deployment', 'w').spec.template.spec.initContainers;
      expect(waits.map((c: any) => c.command.join(' '))).toEqual([
        expect.stringContaining(`nc -z -w 2 ${stem}x 8080`),
        expect.stringContaining(`nc -z -w 2 ${stem}y 8080`),
      ]);
      for (const wait of waits) expect(wait.name).toMatch(/^wait-for-a+-[0-9a-f]{10}$/);
    });

    it('keep the plain name of a dependency that fits', () => {
      const out = synthChecked((stack) => {
        const api = new WebApp(stack, 'api', { image: 'nginx:1.27', port: 8080 });
        new Worker(stack, 'w', { image: 'busybox:1.36' }).connect(api);
      });

      expect(manifest(out, 'Deployment', 'w').spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-api']);
    });

    it('stay distinct from the main container', () => {
      const out = synthChecked((stack) => {
        const api = new WebApp(stack, 'api', { image: 'nginx:1.27', port: 8080 });
        new Worker(stack, 'wait-for-api', { image: 'busybox:1.36' }).connect(api);
      });

      expect(podNameProblems(out)).toEqual([]);
    });
  });
});
