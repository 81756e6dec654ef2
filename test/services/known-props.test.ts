import * as path from 'path';
import * as ts from 'typescript';
import { App, Network, Parameter, PostgresService, Secret, Stack, StackProps, SynthError, Testing, Volume, Worker, WorkerProps } from '../../lib';
import { closestName, editDistance } from '../../lib/core/closest-name';
import { KnownProps, registeredKnownProps } from '../../lib/core/known-props';
import { thrown } from '../support/thrown';

/** The exported interfaces of lib/index.ts, by name, as the TypeScript checker sees them. */
function exportedInterfaces(): { checker: ts.TypeChecker; interfaces: Map<string, ts.Type> } {
  const index = path.join(__dirname, '..', '..', 'lib', 'index.ts');
  const program = ts.createProgram([index], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, noEmit: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  const interfaces = new Map<string, ts.Type>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (symbol.flags & ts.SymbolFlags.Interface) interfaces.set(symbol.name, checker.getDeclaredTypeOfSymbol(symbol));
  }
  return { checker, interfaces };
}

/** The interface a property's value is (or a list of), if it is one. */
function interfaceNameOf(checker: ts.TypeChecker, property: ts.Symbol): string | undefined {
  let type = checker.getNonNullableType(checker.getTypeOfSymbol(property));
  if (checker.isArrayType(type)) type = checker.getTypeArguments(type as ts.TypeReference)[0];
  return type.isClassOrInterface() && type.getSymbol()!.flags & ts.SymbolFlags.Interface ? type.getSymbol()!.name : undefined;
}

describe('the known props of each construct', () => {
  const { checker, interfaces } = exportedInterfaces();
  const registered = registeredKnownProps();

  it('lists every exported props and options interface', () => {
    const needed = [...interfaces.keys()].filter((name) => /(Props|Options)$/.test(name)).sort();
    expect(needed.filter((name) => !registered.has(name))).toEqual([]);
    expect(needed.length).toBeGreaterThanOrEqual(30);
  });

  it('names an exported interface in each list', () => {
    expect([...registered.keys()].filter((name) => !interfaces.has(name))).toEqual([]);
  });

  describe.each([...registered.keys()].sort().map((name) => [name]))('%s', (name) => {
    const known = registered.get(name) as KnownProps;
    const type = interfaces.get(name);
    const properties = type ? checker.getPropertiesOfType(type) : [];

    it('lists exactly the properties of the interface (with extends and Omit<>)', () => {
      expect([...known.names].sort()).toEqual(properties.map((p) => p.name).sort());
    });

    it('checks each property that holds an object of a listed interface, with that interface', () => {
      const expected = Object.fromEntries(
        properties.flatMap((p) => {
          const inner = interfaceNameOf(checker, p);
          return inner !== undefined && registered.has(inner) ? [[p.name, inner]] : [];
        }),
      );
      const actual = Object.fromEntries(Object.entries(known.nested).map(([key, nested]) => [key, nested.interfaceName]));
      expect(actual).toEqual(expected);
    });

    it('gives a reason only for props it does not have', () => {
      expect(Object.keys(known.omitted).filter((key) => known.names.includes(key))).toEqual([]);
    });
  });
});

describe('closestName', () => {
  it.each([
    ['healtCheck', 'healthCheck'],
    ['hostport', 'hostPort'],
    ['readOnlyRootFileSystem', 'readOnlyRootFilesystem'],
    ['storagClass', 'storageClass'],
    ['evn', 'env'],
    ['outDir', 'outdir'],
  ])('takes %s for %s', (name, meant) => {
    expect(closestName(name, ['env', 'healthCheck', 'hostPort', 'readOnlyRootFilesystem', 'storageClass', 'outdir'])).toBe(meant);
  });

  it('suggests nothing when no name is close', () => {
    expect(closestName('domain', ['image', 'port', 'replicas'])).toBeUndefined();
    expect(closestName('ab', ['xy'])).toBeUndefined();
  });

  it('counts a swap of two neighbours as one edit', () => {
    expect(editDistance('hsot', 'host')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('unknown props', () => {
  it('reports a misspelt App prop at the app', () => {
    const app = new App({ outdir: 'cdk.out', printSummary: false, outDir: 'out' } as never);
    new Worker(new Stack(app, 'shop'), 'worker', { image: 'a:1' });
    expect(thrown(() => app.synth())).toMatch(/\n {2}\[app\] App has no prop "outDir": did you mean "outdir"\?/);
  });

  it('reports every unknown prop of a construct, and leaves props whose value is undefined alone', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new PostgresService(stack, 'db', { password: Secret.fromEnv('P'), replicas: 2, image: 'postgres:16', colour: undefined } as never);
    const message = thrown(() => Testing.synth(stack));
    expect(message).toMatch(/^synth failed with 2 errors/);
    expect(message).toMatch(/\[shop\/db\] PostgresService has no prop "replicas"/);
    expect(message).toMatch(/\[shop\/db\] PostgresService has no prop "image": it runs the official postgres image/);
  });

  it("leaves a subclass's own props to the subclass", () => {
    interface ShopStackProps extends StackProps {
      readonly domain: string;
    }
    class ShopStack extends Stack {
      constructor(scope: App, id: string, props: ShopStackProps) {
        super(scope, id, props);
      }
    }
    interface QueueWorkerProps extends WorkerProps {
      readonly queue: string;
    }
    class QueueWorker extends Worker {
      constructor(scope: Stack, id: string, props: QueueWorkerProps) {
        super(scope, id, { ...props, env: { QUEUE: props.queue } });
      }
    }
    const stack = new ShopStack(Testing.app(), 'shop', { domain: 'shop.example.com' });
    new QueueWorker(stack, 'worker', { image: 'a:1', queue: 'mail' });
    expect(() => Testing.synth(stack)).not.toThrow();
  });

  it('reports the unknown key of a nested object, listing the keys it takes when none is close', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new Worker(stack, 'worker', { image: 'a:1', resources: { limits: { cpu: 1, mem: 1 } } as never });
    expect(thrown(() => Testing.synth(stack))).toMatch(
      /\[shop\/worker\] Worker has no prop "resources\.limits\.mem": remove it, or use one of the props of ResourceAmounts: cpu, memory$/m,
    );
  });
});

describe('ids that cannot name a construct', () => {
  it.each([
    ['a volume', (stack: Stack) => new Volume(stack, 'media'), /^\[shop\] a volume was given the id "media", which Volume shop\/media already has in this scope; give one of the two another id \(the id is its volume name unless the name prop gives another\)$/],
    ['a network', (stack: Stack) => new Network(stack, 'media'), /^\[shop\] a network was given the id "media", which Volume shop\/media already has in this scope/],
    ['a workload', (stack: Stack) => new Worker(stack, 'media', { image: 'a:1' }), /^\[shop\] a workload was given the id "media", which Volume shop\/media already has in this scope/],
    ['a parameter', (stack: Stack) => new Parameter(stack, 'media'), /^\[shop\] a parameter was given the id "media", which Volume shop\/media already has in this scope/],
  ])('reports %s with an id that is taken at synth, naming what holds it, and nothing else about it', (_, build, message) => {
    const stack = new Stack(Testing.app(), 'shop');
    new Worker(stack, 'worker', { image: 'a:1' });
    new Volume(stack, 'media');

    build(stack);

    const errors = synthErrors(stack);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it('reports a taken id and an empty one with the app\'s other errors, in one list', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new Worker(stack, 'worker', { image: 'a:1' });
    new Worker(stack, 'worker', { image: 'a:2' });
    new Worker(stack, '', { image: 'a:3' });
    new Worker(stack, 'Mailer', { image: 'a:4' });

    expect(synthErrors(stack)).toEqual([
      expect.stringMatching(/^\[shop\] a workload was given the id "worker", which Worker shop\/worker already has in this scope/),
      expect.stringMatching(/^\[shop\] a workload was given an empty id; give it a name such as 'api'/),
      expect.stringMatching(/^\[shop\/Mailer\] name "Mailer" is not a service name/),
    ]);
  });

  it('refuses a stack with an id that is taken, since the app has no path to report it at', () => {
    const app = Testing.app();
    new Stack(app, 'shop');
    expect(() => new Stack(app, 'shop')).toThrow(/^\[app\] a stack was given the id "shop", which Stack shop already has in this scope; give one of the two another id/);
  });
});

/** The lines of the SynthError that synth of `stack`'s app throws, as `[path] message`. */
function synthErrors(stack: Stack): string[] {
  try {
    Testing.synth(stack);
  } catch (error) {
    if (SynthError.isSynthError(error)) return error.errors.map((e) => `[${e.path}] ${e.message}`);
    throw error;
  }
  throw new Error('synth succeeded');
}
