import { AgentService, ContainerService, Mount, Stack, Testing, synthesize } from '../../lib';
import { renderKubernetes } from '../../lib/render/k8s';

const IMAGE = 'ghcr.io/acme/app:2.1.0';

describe('Mount.hostPath', () => {
  it('fails on a workload that may land on any node when the path reaches Kubernetes', () => {
    const stack = new Stack(Testing.app(), 'p88');
    new ContainerService(stack, 'web', { image: IMAGE, mounts: [Mount.hostPath('/var/log')] });

    expect(() => Testing.synth(stack)).toThrow(
      /\[p88\/web\] mounts host path \/var\/log, which Kubernetes allows only for a workload with one copy per node \(AgentService\); keep it to Compose with Mount\.hostPath\('\/var\/log', \{ targets: \['compose'\] \}\), or use an AgentService/,
    );
  });

  it('binds a path kept to Compose read-only there and leaves it out on Kubernetes with a note', () => {
    const stack = new Stack(Testing.app(), 'p88');
    new ContainerService(stack, 'web', { image: IMAGE, mounts: [Mount.hostPath('/etc/localtime', { targets: ['compose'] })] });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.volumes).toEqual(['/etc/localtime:/etc/localtime:ro']);
    const deployment = out.manifests.find((m) => m.kind === 'Deployment') as any;
    expect(deployment.spec.template.spec.volumes).toBeUndefined();
    expect(deployment.spec.template.spec.containers[0].volumeMounts).toBeUndefined();
    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'p88/web',
      message: 'host path /etc/localtime is left out on Kubernetes: it is kept to compose',
    });
  });

  it('is allowed on any workload of a stack that renders only Compose', () => {
    const stack = new Stack(Testing.app(), 'p88', { targets: ['compose'] });
    new ContainerService(stack, 'web', { image: IMAGE, mounts: [Mount.hostPath('/var/log')] });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.volumes).toEqual(['/var/log:/var/log:ro']);
    expect(out.manifests).toEqual([]);
  });

  it('is allowed on a workload whose profile the stack leaves out on Kubernetes', () => {
    const stack = new Stack(Testing.app(), 'p88');
    new ContainerService(stack, 'debug', { image: IMAGE, profiles: ['debug'], mounts: [Mount.hostPath('/var/log')] });

    const out = Testing.synth(stack);

    expect(out.compose!.services.debug.volumes).toEqual(['/var/log:/var/log:ro']);
    expect(out.manifests).toEqual([]);
  });

  it('keeps an absolute host path as given, unlike a bind of the app', () => {
    const stack = new Stack(Testing.app(), 'p88', { targets: ['compose'] });
    new ContainerService(stack, 'web', { image: IMAGE, mounts: [Mount.hostPath('/srv/data', { target: '/data', readOnly: false }), Mount.bind('./src', '/app/src')] });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.volumes).toEqual(['/srv/data:/data', '../../src:/app/src']);
  });

  it('lets one container path take a different host path on each target', () => {
    const stack = new Stack(Testing.app(), 'p88');
    new AgentService(stack, 'agent', {
      image: 'grafana/agent:v0.40.5',
      mounts: [
        Mount.hostPath('/var/lib/docker/containers', { target: '/logs', targets: ['compose'] }),
        Mount.hostPath('/var/log/pods', { target: '/logs', targets: ['kubernetes'] }),
      ],
    });

    const out = Testing.synth(stack);

    expect(out.compose!.services.agent.volumes).toEqual(['/var/lib/docker/containers:/logs:ro']);
    const daemonSet = out.manifests.find((m) => m.kind === 'DaemonSet') as any;
    expect(daemonSet.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'host-var-log-pods', mountPath: '/logs', readOnly: true }]);
  });

  it('is never handed by the Kubernetes renderer to a workload that may land on any node', () => {
    // GIVEN the model of a Compose-only stack, where the host path is allowed
    const app = Testing.app();
    const stack = new Stack(app, 'p88', { targets: ['compose'] });
    new ContainerService(stack, 'web', { image: IMAGE, mounts: [Mount.hostPath('/var/log')] });
    const model = synthesize(app, { sourceDir: '.' }).stacks[0].model;

    // WHEN it is rendered for Kubernetes anyway
    const result = renderKubernetes(model);

    // THEN the renderer, which judges nothing (synth refused this before rendering), leaves it out
    expect(result.messages.filter((m) => m.level === 'error')).toEqual([]);
    const deployment = result.documents.files.find((f) => f.object.kind === 'Deployment')!.object as any;
    expect(deployment.spec.template.spec.volumes).toBeUndefined();
  });

  it('fails when two host paths of one target share a container path', () => {
    const stack = new Stack(Testing.app(), 'p88');
    new AgentService(stack, 'agent', {
      image: 'grafana/agent:v0.40.5',
      mounts: [Mount.hostPath('/var/log', { target: '/logs' }), Mount.hostPath('/var/log/pods', { target: '/logs', targets: ['kubernetes'] })],
    });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/agent\] two mounts share the target path \/logs; give each its own path/);
  });
});
