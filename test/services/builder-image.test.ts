import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, BuilderImage, MigrationJob, Stack, Testing, Worker } from '../../lib';
import { checkStackOutput } from '../support/real-tools';

function newStack(props: object = {}) {
  return new Stack(Testing.app(), 'shop', props);
}

const BUILD = { context: 'examples/srvthreds', dockerfile: 'docker/Dockerfile.builder' };

describe('BuilderImage', () => {
  it('renders a build-only Compose service in its own profile, tagged so that other builds can name it', () => {
    const stack = newStack();
    new BuilderImage(stack, 'builder', { build: BUILD, image: 'acme/builder:latest' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.builder).toEqual({
      image: 'acme/builder:latest',
      build: { context: '../../examples/srvthreds', dockerfile: 'docker/Dockerfile.builder' },
      profiles: ['build'],
      restart: 'no',
      security_opt: ['no-new-privileges:true'],
    });
  });

  it('tags the image <name>:latest and uses the profile given', () => {
    const stack = newStack();
    const builder = new BuilderImage(stack, 'app-builder', { build: BUILD, profile: 'manual' });

    expect(builder.image).toBe('app-builder:latest');
    expect(Testing.synth(stack).compose!.services['app-builder'].profiles).toEqual(['manual']);
  });

  it('exposes its tag for the images built on it', () => {
    const stack = newStack();
    const builder = new BuilderImage(stack, 'builder', { build: BUILD, image: 'acme/builder:latest' });
    new Worker(stack, 'worker', {
      image: 'acme/worker:latest',
      build: { context: 'examples/srvthreds', dockerfile: 'docker/Dockerfile', args: { BUILDER_IMAGE: builder.image } },
    });

    expect(Testing.synth(stack).compose!.services.worker.build).toEqual({
      context: '../../examples/srvthreds',
      dockerfile: 'docker/Dockerfile',
      args: { BUILDER_IMAGE: 'acme/builder:latest' },
    });
  });

  it('is left out on Kubernetes with a note, even when the stack enables its profile there', () => {
    const stack = newStack({ profiles: ['build'] });
    new BuilderImage(stack, 'builder', { build: BUILD });
    new Worker(stack, 'worker', { image: 'acme/worker:1' });

    const out = Testing.synth(stack);

    expect(out.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Deployment/worker']);
    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'shop/builder',
      message: expect.stringMatching(/^left out on Kubernetes: it is an image other images are built on and is never deployed/),
    });
  });

  it('passes the Compose schema, docker-compose config, the Kubernetes schemas and kubectl kustomize', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-builder-'));
    try {
      // The build context must exist for docker-compose; relative paths start from the repository.
      const app = new App({ outdir, printSummary: false, sourceDir: path.resolve(__dirname, '..', '..') });
      const stack = new Stack(app, 'builder-check');
      const builder = new BuilderImage(stack, 'builder', { build: BUILD });
      new Worker(stack, 'worker', { image: 'acme/worker:1', build: { context: 'examples/srvthreds', args: { BUILDER_IMAGE: builder.image } } });
      app.synth();
      expect(() => checkStackOutput(path.join(outdir, 'builder-check'))).not.toThrow();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  describe('fails on bad input', () => {
    it('fails when it has no build', () => {
      const stack = newStack();
      new BuilderImage(stack, 'builder', {} as never);
      expect(() => Testing.synth(stack)).toThrow(/\[shop\/builder\] has no build; a BuilderImage is built from source/);
    });

    it('fails when the build has no context', () => {
      const stack = newStack();
      new BuilderImage(stack, 'builder', { build: { dockerfile: 'Dockerfile' } as never });
      expect(() => Testing.synth(stack)).toThrow(/\[shop\/builder\] build needs a context directory/);
    });

    it('fails when the tag is not an image reference', () => {
      const stack = newStack();
      new BuilderImage(stack, 'builder', { build: BUILD, image: 'my builder' });
      expect(() => Testing.synth(stack)).toThrow(/\[shop\/builder\] image "my builder" is not an image reference/);
    });

    it('fails when the profile is not a profile name', () => {
      const stack = newStack();
      new BuilderImage(stack, 'builder', { build: BUILD, profile: '--all' });
      expect(() => Testing.synth(stack)).toThrow(/\[shop\/builder\] profile "--all" is not a Compose profile name/);
    });

    it('fails when a deployed workload waits for it', () => {
      const stack = newStack();
      const builder = new BuilderImage(stack, 'builder', { build: BUILD });
      new MigrationJob(stack, 'migrate', { image: 'acme/migrate:1', after: [builder] });
      expect(() => Testing.synth(stack)).toThrow(/\[shop\/migrate\] waits for builder, which exists on Compose only/);
    });

    it('cannot be connected to', () => {
      const stack = newStack();
      const builder = new BuilderImage(stack, 'builder', { build: BUILD });
      new Worker(stack, 'worker', { image: 'acme/worker:1' }).connect(builder);
      expect(() => Testing.synth(stack)).toThrow(/\[shop\/worker\] connect\(builder\): builder is a builder image that never runs/);
    });
  });
});
