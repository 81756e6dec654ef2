import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, StaticSite, Testing } from '../../lib';
import { checkStackOutput } from '../support/real-tools';

const IMAGE = 'ghcr.io/acme/dashboard:2.1.0';

describe('StaticSite hostIp', () => {
  it('publishes the port on the given host address on Compose', () => {
    const stack = new Stack(Testing.app(), 'ops');
    new StaticSite(stack, 'dashboard', { image: IMAGE, hostPort: 8081, hostIp: '127.0.0.1' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.dashboard.ports).toEqual(['127.0.0.1:8081:80']);
    expect(out.files['compose.yaml']).toContain('- "127.0.0.1:8081:80"');
  });

  it('leaves the published port out on Kubernetes with a note, as for any host port', () => {
    const stack = new Stack(Testing.app(), 'ops');
    new StaticSite(stack, 'dashboard', { image: IMAGE, hostPort: 8081, hostIp: '127.0.0.1' });

    const out = Testing.synth(stack);

    const service = out.manifests.find((m) => m.kind === 'Service' && m.metadata.name === 'dashboard') as any;
    expect(service.spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'ops/dashboard',
      message: expect.stringMatching(/^host port 8081 is published on Compose only/),
    });
  });

  it('lets two sites publish the same port on different host addresses', () => {
    const stack = new Stack(Testing.app(), 'ops');
    new StaticSite(stack, 'dashboard', { image: IMAGE, hostPort: 8081, hostIp: '127.0.0.1' });
    new StaticSite(stack, 'docs', { image: IMAGE, hostPort: 8081, hostIp: '192.0.2.10' });

    expect(() => Testing.synth(stack)).not.toThrow();
  });

  it('passes the real tools with a loopback-bound port', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-static-site-host-ip-'));
    try {
      const app = new App({ outdir, printSummary: false });
      new StaticSite(new Stack(app, 'ops'), 'dashboard', { image: IMAGE, hostPort: 8081, hostIp: '127.0.0.1' });
      app.synth();
      expect(() => checkStackOutput(path.join(outdir, 'ops'))).not.toThrow();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('fails when hostIp is given without a hostPort', () => {
    const stack = new Stack(Testing.app(), 'ops');
    new StaticSite(stack, 'dashboard', { image: IMAGE, hostIp: '127.0.0.1' });

    expect(() => Testing.synth(stack)).toThrow(
      /\[ops\/dashboard\] hostIp "127.0.0.1" is given without a hostPort, so nothing is published on it; add hostPort or remove hostIp/,
    );
  });
});
