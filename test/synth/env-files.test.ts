import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, EnvFile, Stack, Testing, WebApp } from '../../lib';
import { checkStackOutput } from '../support/real-tools';
import { manifest } from '../support/manifests';

const BASE = 'test/synth/fixtures/env-files/base.env';
const DEV = 'test/synth/fixtures/env-files/dev.env';

function newApi(stack: Stack) {
  return new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8000, envFiles: [EnvFile.fromFile(BASE), EnvFile.fromFile(DEV)] });
}

describe('env files', () => {
  it('are merged and copied next to the Compose file, which reads the copy', () => {
    const stack = new Stack(Testing.app(), 'shop');
    newApi(stack);

    const out = Testing.synth(stack);

    expect(out.compose!.services.api.env_file).toEqual(['./env/api.env']);
    expect(out.files['env/api.env']).toBe(
      `# Variables of api, copied by synth from ${BASE}, ${DEV}.\n` +
        '# Edit those files and run synth again.\n' +
        'LOG_LEVEL=debug\n' +
        'APP_NAME=Acme Shop\n' +
        'FEATURE_X=on\n',
    );
  });

  it('hold the same variables as the Kubernetes ConfigMap the container reads', () => {
    const stack = new Stack(Testing.app(), 'shop');
    newApi(stack);

    const out = Testing.synth(stack);

    const configMap = out.manifests.find((m) => m.kind === 'ConfigMap')!;
    expect(configMap.data).toEqual({ LOG_LEVEL: 'debug', APP_NAME: 'Acme Shop', FEATURE_X: 'on' });
    expect(manifest(out, 'Deployment', 'api').spec.template.spec.containers[0].envFrom).toEqual([
      { configMapRef: { name: configMap.metadata.name } },
    ]);
  });

  it('pass docker-compose config from a copy of the stack folder', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-env-files-'));
    try {
      const app = new App({ outdir, printSummary: false });
      newApi(new Stack(app, 'shop'));
      app.synth();
      expect(() => checkStackOutput(path.join(outdir, 'shop'))).not.toThrow();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('pass a variable named like a secret as a secret, never into an output file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-env-secret-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.env'), 'LOG_LEVEL=info\nAPI_TOKEN=s3cr3t-value\n');
      const app = new App({ outdir: path.join(dir, 'out'), sourceDir: dir, printSummary: false });
      const stack = new Stack(app, 'shop');
      new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8000, envFiles: [EnvFile.fromFile('app.env')] });
      app.synth();
      const out = Testing.synth(stack);

      expect(out.compose!.services.api.environment).toEqual({ API_TOKEN: '${API_TOKEN:?set API_TOKEN in .env (see .env.example)}' });
      expect(out.files['env/api.env']).not.toContain('API_TOKEN');
      expect(out.files['.env.example']).toMatch(/^API_TOKEN=$/m);
      expect(manifest(out, 'Deployment', 'api').spec.template.spec.containers[0].env).toEqual([
        { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'API_TOKEN' } } },
      ]);
      for (const content of Object.values(out.files)) expect(content).not.toContain('s3cr3t-value');
      expect(out.messages).toContainEqual(expect.objectContaining({ level: 'info', path: 'shop/api', message: expect.stringMatching(/sets API_TOKEN, which looks like a secret: it is not copied/) }));
      expect(() => checkStackOutput(path.join(dir, 'out', 'shop'))).not.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
