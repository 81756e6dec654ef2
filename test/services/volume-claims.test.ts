import { ContainerService, Mount, Stack, Testing, Volume } from '../../lib';

describe('Volume on Kubernetes', () => {
  it('claims a volume only when a workload rendered on Kubernetes mounts it', () => {
    // GIVEN a volume mounted only by a dev-profile tool, and one mounted by a regular service
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    const scratch = new Volume(stack, 'scratch');
    const media = new Volume(stack, 'media');
    new ContainerService(stack, 'tool', { image: 'busybox:1.36', profiles: ['dev'], mounts: [Mount.volume(scratch, '/scratch')] });
    new ContainerService(stack, 'api', { image: 'busybox:1.36', mounts: [Mount.volume(media, '/media')] });

    // WHEN
    const out = Testing.synth(stack);

    // THEN Compose keeps both volumes; Kubernetes claims only the one its workloads use
    expect(Object.keys(out.compose!.volumes ?? {})).toEqual(['scratch', 'media']);
    expect(out.manifests.filter((m) => m.kind === 'PersistentVolumeClaim').map((m) => m.metadata.name)).toEqual(['media']);
  });
});
