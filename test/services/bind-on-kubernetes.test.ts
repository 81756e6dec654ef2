import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, ContainerService, Mount, Stack, Testing } from '../../lib';
import { manifest } from '../support/manifests';
import { checkStackOutput } from '../support/real-tools';

describe('a bind mount of the app on Kubernetes', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-binds-'));
    fs.mkdirSync(path.join(dir, 'media'));
    fs.mkdirSync(path.join(dir, 'static'));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), 'events {}\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function synth(build: (stack: Stack) => void) {
    const app = new App({ outdir: path.join(dir, 'out'), sourceDir: dir, printSummary: false });
    const stack = new Stack(app, 'shop');
    build(stack);
    app.synth();
    checkStackOutput(path.join(dir, 'out', 'shop'));
    return Testing.synth(stack);
  }

  it('keeps what a container writes to a folder in a claim shared by the workloads that bind it', () => {
    const out = synth((stack) => {
      new ContainerService(stack, 'server', { image: 'ghcr.io/acme/app:1.0.0', ports: [{ port: 9000 }], mounts: [Mount.bind('./media', '/media')] });
      new ContainerService(stack, 'worker', { image: 'ghcr.io/acme/app:1.0.0', mounts: [Mount.bind('./media', '/media')] });
    });
    expect(out.compose!.services.server.volumes).toEqual(['../../media:/media']);
    expect(out.compose!.volumes).toBeUndefined();
    const claim = manifest(out, 'PersistentVolumeClaim', 'bind-media');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    for (const name of ['server', 'worker']) {
      const pod = manifest(out, 'Deployment', name).spec.template.spec;
      expect(pod.volumes).toEqual([{ name: 'bind-media', persistentVolumeClaim: { claimName: 'bind-media' } }]);
      expect(pod.containers[0].volumeMounts).toEqual([{ name: 'bind-media', mountPath: '/media' }]);
    }
    expect(out.messages).toContainEqual(
      expect.objectContaining({ level: 'warning', path: 'shop/server', message: expect.stringMatching(/^bind mount \.\/media at \/media is claim bind-media on Kubernetes.*starts empty/) }),
    );
  });

  it('mounts a file as a ConfigMap of its content, and leaves out a read-only folder and a folder left out by choice', () => {
    const out = synth((stack) => {
      new ContainerService(stack, 'proxy', {
        image: 'nginx:1.27',
        ports: [{ port: 80 }],
        mounts: [
          Mount.bind('./nginx.conf', '/etc/nginx/nginx.conf', { readOnly: true }),
          Mount.bind('./static', '/usr/share/nginx/html', { readOnly: true }),
          Mount.bind('./media', '/srv/src', { onKubernetes: 'leave-out' }),
        ],
      });
    });
    const pod = manifest(out, 'Deployment', 'proxy').spec.template.spec;
    const configMap = out.manifests.find((o) => o.kind === 'ConfigMap') as any;
    expect(configMap.data).toEqual({ 'nginx.conf': 'events {}\n' });
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'proxy-nginx-conf', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true }]);
    expect(out.manifests.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
  });
});
