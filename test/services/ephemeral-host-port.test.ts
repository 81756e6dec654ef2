import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, ContainerService, Stack, Testing, WebApp } from '../../lib';
import { checkStackOutput } from '../support/real-tools';

function newStack(app = Testing.app()) {
  return new Stack(app, 'shop');
}

describe('hostPort 0', () => {
  it('publishes the port on a free host port the engine picks', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000, hostPort: 0 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.api.ports).toEqual(['4000']);
    expect(out.files['compose.yaml']).toContain('- "4000"');
  });

  it('keeps the host address and leaves the host port empty', () => {
    const stack = newStack();
    new ContainerService(stack, 'dns', {
      image: 'ghcr.io/acme/dns:1.0.0',
      ports: [{ port: 5353, protocol: 'UDP', hostPort: 0, hostIp: '127.0.0.1' }],
    });

    expect(Testing.synth(stack).compose!.services.dns.ports).toEqual(['127.0.0.1::5353/udp']);
  });

  it('never clashes, with another free port or across replicas', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000, hostPort: 0, replicas: 2 });
    new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 4000, hostPort: 0 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.api.ports).toEqual(['4000']);
    expect(out.compose!.services.web.ports).toEqual(['4000']);
  });

  it('notes that Kubernetes does not publish it', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000, hostPort: 0 });

    expect(Testing.synth(stack).messages).toContainEqual(
      expect.objectContaining({
        level: 'info',
        path: 'shop/api',
        message: expect.stringMatching(/^a free host port \(hostPort 0\) is published on Compose only; on Kubernetes port 4000 is reachable inside the cluster through Service api/),
      }),
    );
  });

  it('passes the real tools', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-hostport0-'));
    try {
      const app = new App({ outdir, printSummary: false });
      const stack = newStack(app);
      new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000, hostPort: 0 });
      new ContainerService(stack, 'dns', { image: 'ghcr.io/acme/dns:1.0.0', ports: [{ port: 5353, protocol: 'UDP', hostPort: 0, hostIp: '127.0.0.1' }] });
      app.synth();
      expect(() => checkStackOutput(path.join(outdir, 'shop'))).not.toThrow();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('still fails on a negative host port', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000, hostPort: -1 });

    expect(() => Testing.synth(stack)).toThrow(
      /\[shop\/api\] host port -1 for container port 4000 is not a port number; use a whole number from 1 to 65535, or 0 to let the engine pick a free one/,
    );
  });
});
