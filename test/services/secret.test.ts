import { ContainerService, Env, PostgresService, Secret, Stack, SynthesizedStack, Testing, WebApp, Worker } from '../../lib';
import { manifest } from '../support/manifests';

function env(out: SynthesizedStack, name: string): any[] {
  return manifest(out, 'Deployment', name).spec.template.spec.containers[0].env;
}

function newStack() {
  const app = Testing.app();
  return new Stack(app, 'shop');
}

const IMAGE = 'ghcr.io/acme/api:1.4.2';

describe('Secret', () => {
  it('is read from .env through required interpolation on Compose', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { JWT_SECRET: Secret.fromEnv('JWT_SECRET') } });

    const out = Testing.synth(stack);

    expect(out.compose!.services.api.environment).toEqual({ JWT_SECRET: '${JWT_SECRET:?set JWT_SECRET in .env (see .env.example)}' });
  });

  it('is read from the generated Secret through secretKeyRef on Kubernetes', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { SIGNING_KEY: Secret.fromEnv('JWT_SECRET'), LOG_LEVEL: 'info' } });

    const out = Testing.synth(stack);

    expect(env(out, 'api')).toEqual([
      { name: 'SIGNING_KEY', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'JWT_SECRET' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    expect(out.kustomization!.secretGenerator).toEqual([{ name: 'shop-secrets', envs: ['.env'] }]);
  });

  it('is listed by name in .env.example with its description and its users, never with a value', () => {
    const stack = newStack();
    const key = Secret.fromEnv('JWT_SECRET', { description: 'Key that signs session tokens' });
    new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { JWT_SECRET: key } });
    new Worker(stack, 'worker', { image: IMAGE, env: { JWT_SECRET: key } });

    const out = Testing.synth(stack);

    expect(out.files['.env.example']).toBe(
      [
        '# Variables of stack "shop". Copy to .env (and to k8s/.env for kubectl apply -k),',
        '# fill in the values, and never commit the filled-in copies.',
        '',
        '# Key that signs session tokens',
        '# Used by shop/api, shop/worker',
        'JWT_SECRET=',
        '',
      ].join('\n'),
    );
  });

  it('has no secretGenerator when the stack has no secrets', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: IMAGE, port: 8080 });

    const out = Testing.synth(stack);

    expect(out.kustomization).not.toHaveProperty('secretGenerator');
  });

  it('stays a reference inside a larger value on both targets', () => {
    // GIVEN a URL with a password inside it
    const stack = newStack();
    const password = Secret.fromEnv('BROKER_PASSWORD');
    new Worker(stack, 'worker', { image: IMAGE, env: { BROKER_URL: Env.concat('amqp://app:', password, '@broker:5672/'), QUEUE: 'jobs' } });

    // WHEN
    const out = Testing.synth(stack);

    // THEN Compose interpolates it, and Kubernetes expands a variable defined before the URL
    expect(out.compose!.services.worker.environment).toEqual({
      BROKER_URL: 'amqp://app:${BROKER_PASSWORD:?set BROKER_PASSWORD in .env (see .env.example)}@broker:5672/',
      QUEUE: 'jobs',
    });
    expect(env(out, 'worker')).toEqual([
      { name: 'BROKER_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'BROKER_PASSWORD' } } },
      { name: 'BROKER_URL', value: 'amqp://app:$(BROKER_PASSWORD)@broker:5672/' },
      { name: 'QUEUE', value: 'jobs' },
    ]);
  });

  it('defines a secret once on Kubernetes when several values and a variable of its own use it', () => {
    const stack = newStack();
    const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
    new WebApp(stack, 'api', {
      image: IMAGE,
      port: 8080,
      env: {
        POSTGRES_PASSWORD: db.password,
        READONLY_URL: Env.concat('postgresql://reader:', db.password, '@db:5432/app'),
      },
    }).connect(db, { env: 'DATABASE_URL' });

    const vars = env(Testing.synth(stack), 'api');

    expect(vars.map((v) => v.name)).toEqual(['POSTGRES_PASSWORD', 'READONLY_URL', 'DATABASE_URL']);
    expect(vars[0]).toEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'POSTGRES_PASSWORD' } } });
  });

  it('writes a plain-text secret into the output only with unsafePlainText, with a warning', () => {
    // GIVEN one service with a plain-text secret and one with a secret from the environment
    const stack = newStack();
    new ContainerService(stack, 'legacy', { image: IMAGE, env: { API_TOKEN: Secret.unsafePlainText('tok-123-plain') } });
    new ContainerService(stack, 'modern', { image: IMAGE, env: { API_TOKEN: Secret.fromEnv('API_TOKEN') } });

    // WHEN
    const out = Testing.synth(stack);

    // THEN the value is written where asked, and a warning names the construct
    expect(out.compose!.services.legacy.environment).toEqual({ API_TOKEN: 'tok-123-plain' });
    expect(env(out, 'legacy')).toEqual([{ name: 'API_TOKEN', value: 'tok-123-plain' }]);
    expect(out.compose!.services.modern.environment).toEqual({ API_TOKEN: '${API_TOKEN:?set API_TOKEN in .env (see .env.example)}' });
    expect(out.messages).toEqual([
      {
        level: 'warning',
        path: 'shop/legacy',
        message: 'environment variable API_TOKEN holds a secret written in plain text to the output (Secret.unsafePlainText)',
      },
    ]);
    expect(out.files['.env.example']).toMatch(/^API_TOKEN=$/m);
    expect(out.files['.env.example']).not.toContain('tok-123-plain');
  });

  it('escapes a dollar in a plain-text secret like any literal', () => {
    const stack = newStack();
    new ContainerService(stack, 'legacy', { image: IMAGE, env: { API_TOKEN: Secret.unsafePlainText('a$b$(c)') } });

    const out = Testing.synth(stack);

    expect(out.compose!.services.legacy.environment).toEqual({ API_TOKEN: 'a$$b$$(c)' });
    expect(env(out, 'legacy')).toEqual([{ name: 'API_TOKEN', value: 'a$$b$$(c)' }]);
  });

  it('fails when a variable that Kubernetes needs for a secret inside a value holds something else', () => {
    // GIVEN a URL that needs $(POSTGRES_PASSWORD), and a variable of that name with another value
    const stack = newStack();
    const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
    new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { POSTGRES_PASSWORD: Secret.fromEnv('OTHER_PASSWORD') } }).connect(db, {
      env: 'DATABASE_URL',
    });

    // WHEN / THEN
    expect(() => Testing.synth(stack)).toThrow(
      /\[shop\/api\] environment variable POSTGRES_PASSWORD has a value other than the secret POSTGRES_PASSWORD, which DATABASE_URL needs under that name on Kubernetes; rename the variable/,
    );
  });

  it('fails when its variable name is not a portable environment variable name', () => {
    const stack = newStack();
    new Worker(stack, 'worker', { image: IMAGE, env: { BROKER_PASSWORD: Secret.fromEnv('broker-password') } });

    expect(() => Testing.synth(stack)).toThrow(
      /\[shop\/worker\] environment variable BROKER_PASSWORD: secret variable "broker-password" is not a portable environment variable name/,
    );
  });

  it('fails when a value that looks sensitive is given as a literal', () => {
    const stack = newStack();
    new Worker(stack, 'worker', { image: IMAGE, env: { STRIPE_API_KEY: 'sk_live_123' } });

    expect(() => Testing.synth(stack)).toThrow(
      /\[shop\/worker\] environment variable STRIPE_API_KEY looks sensitive but is given as a literal; use Secret\.fromEnv\('STRIPE_API_KEY'\)/,
    );
  });

  it('accepts an empty literal for a sensitive-looking name', () => {
    const stack = newStack();
    new Worker(stack, 'worker', { image: IMAGE, env: { SENTRY_TOKEN: '' } });

    expect(Testing.synth(stack).compose!.services.worker.environment).toEqual({ SENTRY_TOKEN: '' });
  });
});
