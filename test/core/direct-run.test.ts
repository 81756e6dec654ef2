import { UsageError, parseCommandLine } from '../../lib/core/command-line';
import { isProgram, parseDirectRun } from '../../lib/core/direct-run';

describe('parseDirectRun', () => {
  it('reads synth, its stacks and options, synth being the default verb', () => {
    expect(parseDirectRun(['synth', 'shop', 'blog', '--strict', '-q', '-c', 'tag=1.5', '--context=port=80', '-o', 'out'])).toEqual({
      command: 'synth',
      stacks: ['shop', 'blog'],
      output: 'out',
      context: { tag: '1.5', port: '80' },
      strict: true,
      quiet: true,
    });
    expect(parseDirectRun([])).toMatchObject({ command: 'synth', stacks: [], strict: false, quiet: false });
    expect(parseDirectRun(['list'])).toMatchObject({ command: 'list' });
    expect(parseDirectRun(['-h'])).toBe('help');
  });

  it('fails on a verb of the cdk-compose command, saying how to run it', () => {
    expect(() => parseDirectRun(['validate'])).toThrow(/^validate is a command of cdk-compose, not of the app: run `npx cdk-compose validate`/);
  });

  it('fails on an unknown verb or option, naming the closest', () => {
    expect(() => parseDirectRun(['lsit'])).toThrow(/^unknown command "lsit"; did you mean "list"\?$/);
    expect(() => parseDirectRun(['deploy'])).toThrow(/^unknown command "deploy"; the app takes synth and list$/);
    expect(() => parseDirectRun(['--fail'])).toThrow(/^unknown option --fail$/);
    expect(() => parseDirectRun(['--outptu', 'x'])).toThrow(/^unknown option --outptu; did you mean --output\?$/);
    expect(() => parseDirectRun(['list', 'shop'])).toThrow(/^list takes no stack names, got shop$/);
  });

  it('fails on an option without its value', () => {
    expect(() => parseDirectRun(['-c'])).toThrow(UsageError);
    expect(() => parseDirectRun(['-c', 'novalue'])).toThrow(/^-c needs key=value, got "novalue"$/);
    expect(() => parseDirectRun(['--strict=yes'])).toThrow(/^--strict takes no value/);
  });
});

describe('parseCommandLine', () => {
  it('guesses only long options, one letter being one edit from every other', () => {
    const table = { values: { '-o': 'output' as const, '--output': 'output' as const }, flags: { '-q': 'quiet' as const } };
    expect(() => parseCommandLine(['-x'], table)).toThrow(/^unknown option -x$/);
  });
});

describe('isProgram', () => {
  it('is false under a test runner, so that an App in a test reads no arguments and throws its errors', () => {
    expect(isProgram()).toBe(false);
  });
});
