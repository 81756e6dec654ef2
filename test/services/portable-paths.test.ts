import * as path from 'path';
import { App, ContainerService, Mount, Stack, Testing } from '../../lib';

describe('paths in the source', () => {
  it('writes an absolute path inside the app folder relative to it, so the output does not depend on the checkout', () => {
    // GIVEN an app whose folder is /work/shop, with paths built from __dirname-style absolute paths
    const app = new App({ sourceDir: '/work/shop', printSummary: false });
    const stack = new Stack(app, 'shop', { targets: ['compose'] });
    new ContainerService(stack, 'api', {
      build: { context: path.join('/work/shop', 'backend') },
      mounts: [Mount.bind(path.join('/work/shop', 'backend', 'src'), '/app/src'), Mount.bind('/var/run/docker.sock', '/var/run/docker.sock')],
    });

    // WHEN
    const service = Testing.synth(stack).compose!.services.api;

    // THEN the project's paths are relative to the stack folder; a host path outside it is kept
    expect(service.build).toEqual({ context: '../../backend' });
    expect(service.volumes).toEqual(['../../backend/src:/app/src', '/var/run/docker.sock:/var/run/docker.sock']);
  });
});
