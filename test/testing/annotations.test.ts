import { Annotations as ConstructAnnotations, PostgresService, Secret, Stack, Testing, WebApp, Worker } from '../../lib';
import { Annotations, Match } from '../../lib/testing';
import { thrown } from '../support/thrown';

const IMAGE = 'ghcr.io/acme/shop:1.4.2';
const PLAIN_TEXT_WARNING = 'environment variable API_TOKEN holds a secret written in plain text to the output (Secret.unsafePlainText)';

/** A stack whose API holds a secret in plain text, which synth warns about. */
function shop(extra?: (stack: Stack) => void): Stack {
  const stack = new Stack(Testing.app(), 'shop');
  const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
  new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { API_TOKEN: Secret.unsafePlainText('t0ken') } }).connect(db, { env: 'DATABASE_URL' });
  extra?.(stack);
  return stack;
}

/** A stack that fails synth with two errors. */
function broken(): Stack {
  return shop((stack) => {
    new WebApp(stack, 'Web', { image: IMAGE, port: 80 });
    const mailer = new Worker(stack, 'mailer', { image: IMAGE });
    new Worker(stack, 'worker', { image: IMAGE }).connect(mailer);
  });
}

/** The message `f` throws. */
describe('Annotations', () => {
  describe('warnings', () => {
    it('finds a warning by construct path, relative path, any path or a path matcher', () => {
      const annotations = Annotations.fromStack(shop());

      annotations.hasWarning('shop/api', PLAIN_TEXT_WARNING);
      annotations.hasWarning('api', /written in plain text/);
      annotations.hasWarning('/shop/api', Match.stringLikeRegexp('^environment variable API_TOKEN '));
      annotations.hasWarning('*', Match.anyValue());
      annotations.hasWarning(Match.stringLikeRegexp('^shop/a'), /plain text/);
    });

    it('matches a string message as the whole message', () => {
      const annotations = Annotations.fromStack(shop());

      expect(() => annotations.hasWarning('api', 'environment variable API_TOKEN holds a secret')).toThrow(/^no warning matching/);
    });

    it('fails showing the warnings at the path and elsewhere', () => {
      const annotations = Annotations.fromStack(shop());

      expect(thrown(() => annotations.hasWarning('db', /plain text/))).toBe(
        ['no warning matching /plain text/ at db; there is no warning there', '1 warning elsewhere in shop:', `  [shop/api] ${PLAIN_TEXT_WARNING}`].join('\n'),
      );
      expect(thrown(() => annotations.hasWarning('api', /port 9090/))).toBe(
        ['no warning matching /port 9090/ at api; the 1 warning there:', `  [shop/api] ${PLAIN_TEXT_WARNING}`].join('\n'),
      );
    });

    it('asserts that a warning is absent', () => {
      const annotations = Annotations.fromStack(shop());

      annotations.hasNoWarning('db', Match.anyValue());
      annotations.hasNoWarning('*', /host port/);
      expect(thrown(() => annotations.hasNoWarning('*', /plain text/))).toBe(
        ['expected no warning matching /plain text/ at any path, found 1:', `  [shop/api] ${PLAIN_TEXT_WARNING}`].join('\n'),
      );
    });

    it('returns the warnings that match', () => {
      const annotations = Annotations.fromStack(shop());

      expect(annotations.findWarnings('*', /plain text/)).toEqual([{ level: 'warning', path: 'shop/api', message: PLAIN_TEXT_WARNING }]);
      expect(annotations.findWarnings('db', Match.anyValue())).toEqual([]);
    });

    it('reports only what concerns the stack', () => {
      const app = Testing.app();
      const demo = new Stack(app, 'demo');
      new WebApp(demo, 'api', { image: IMAGE, port: 8080, env: { API_TOKEN: Secret.unsafePlainText('t0ken') } });
      const prod = new Stack(app, 'prod');
      new WebApp(prod, 'api', { image: IMAGE, port: 8080 });

      Annotations.fromStack(demo).hasWarning('api', /API_TOKEN/);
      Annotations.fromStack(prod).hasNoWarning('*', Match.anyValue());
    });
  });

  describe('errors', () => {
    it('finds the errors of a synth that fails, without throwing', () => {
      const annotations = Annotations.fromStack(broken());

      annotations.hasError('Web', /name "Web" is not a service name/);
      annotations.hasError('shop/worker', /connect\(mailer\): mailer has no port to connect to/);
      expect(annotations.findErrors('*', Match.anyValue()).map((e) => e.path)).toEqual(['shop/Web', 'shop/worker']);
    });

    it('keeps the warnings attached to constructs when synth fails', () => {
      const stack = broken();
      new Worker(stack, 'reporter', { image: IMAGE, env: { TOKEN: Secret.unsafePlainText('t0ken') } });
      ConstructAnnotations.of(stack).addWarning('a warning of the app itself');

      const annotations = Annotations.fromStack(stack);

      annotations.hasWarning('reporter', /holds a secret written in plain text/);
      annotations.hasWarning('shop', 'a warning of the app itself');
    });

    it('asserts that an error is absent', () => {
      Annotations.fromStack(shop()).hasNoError('*', Match.anyValue());
      expect(thrown(() => Annotations.fromStack(broken()).hasNoError('Web', Match.anyValue()))).toMatch(
        /^expected no error matching anyValue\(\) at Web, found 1:\n {2}\[shop\/Web\] name "Web" is not a service name/,
      );
    });

    it('fails on a stack without errors, saying that synth succeeds', () => {
      expect(thrown(() => Annotations.fromStack(shop()).hasError('*', /service name/))).toBe(
        ['no error matching /service name/ at any path; there is no error there', '(synth of shop succeeds: it has no errors)'].join('\n'),
      );
    });
  });

  describe('notes', () => {
    it('finds the notes synth reports', () => {
      const annotations = Annotations.fromStack(shop((stack) => new WebApp(stack, 'mailpit', { image: 'axllent/mailpit', port: 8025, profiles: ['dev'] })));

      annotations.hasInfo('mailpit', 'left out on Kubernetes: its profiles (dev) are not enabled in this stack; kubectl apply -k k8s-profiles/dev deploys the stack with it');
      expect(annotations.findInfos('*', /left out/)).toHaveLength(1);
    });
  });
});
