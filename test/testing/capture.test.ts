import { Capture, Match } from '../../lib/testing';

/** Tests `actual` against `pattern` and, when it passes, hands the captures their values. */
function capture(pattern: Record<string, unknown>, actual: unknown): string[] {
  const result = Match.objectLike(pattern).test(actual);
  result.finished();
  return result.toHumanStrings();
}

describe('Capture', () => {
  it('captures a value of each type', () => {
    const image = new Capture();
    const replicas = new Capture();
    const readOnly = new Capture();
    const command = new Capture();
    const deploy = new Capture();

    capture({ image, replicas, readOnly, command, deploy }, { image: 'redis', replicas: 3, readOnly: true, command: ['a'], deploy: { x: 1 } });

    expect(image.asString()).toBe('redis');
    expect(replicas.asNumber()).toBe(3);
    expect(readOnly.asBoolean()).toBe(true);
    expect(command.asArray()).toEqual(['a']);
    expect(deploy.asObject()).toEqual({ x: 1 });
  });

  it('fails when asked for another type than the value captured', () => {
    const replicas = new Capture();
    capture({ replicas }, { replicas: 3 });

    expect(() => replicas.asString()).toThrow('Capture: the captured value is 3, not a string');
    expect(() => replicas.asArray()).toThrow('Capture: the captured value is 3, not an array');
  });

  it('fails when nothing was captured', () => {
    expect(() => new Capture().asString()).toThrow(/no value was captured; the assertion that uses this Capture must run, and pass, first/);
  });

  it('does not match a missing value or null', () => {
    const user = new Capture();

    expect(capture({ user }, {})).toEqual(['user: expected a value to capture, got nothing']);
    expect(capture({ user }, { user: null })).toEqual(['user: expected a value to capture, got null']);
  });

  it('captures only values that match its pattern', () => {
    const port = new Capture(Match.stringLikeRegexp('^\\d+:\\d+$'));

    expect(capture({ ports: [port] }, { ports: ['8080'] })).toEqual(['ports[0]: expected a string matching /^\\d+:\\d+$/, got "8080"']);
    expect(capture({ ports: [port] }, { ports: ['8080:80'] })).toEqual([]);
    expect(port.asString()).toBe('8080:80');
  });

  it('keeps nothing from a match that fails elsewhere', () => {
    const image = new Capture();

    expect(capture({ image, restart: 'no' }, { image: 'redis', restart: 'always' })).toHaveLength(1);

    expect(() => image.asString()).toThrow(/no value was captured/);
  });

  it('keeps one value per place it matched, read in turn with next()', () => {
    const name = new Capture();

    capture({ env: Match.arrayWith([{ name }, { name }]) }, { env: [{ name: 'A' }, { name: 'B' }] });

    expect(name.asString()).toBe('A');
    expect(name.next()).toBe(true);
    expect(name.asString()).toBe('B');
    expect(name.next()).toBe(false);
    expect(name.asString()).toBe('B');
  });

  it('keeps the values of the elements an unordered match settled on', () => {
    const other = new Capture();

    capture({ caps: Match.arrayWithUnordered([other, 'ALL']) }, { caps: ['ALL', 'NET_BIND_SERVICE'] });

    expect(other.asString()).toBe('NET_BIND_SERVICE');
    expect(other.next()).toBe(false);
  });

  it('hands its values over once, however often the result is finished', () => {
    const image = new Capture();
    const result = Match.objectLike({ image }).test({ image: 'redis' });

    result.finished();
    result.finished();

    expect(image.next()).toBe(false);
  });

  it('reads in messages as it is written', () => {
    expect(String(new Capture())).toBe('Capture()');
    expect(String(new Capture(Match.anyValue()))).toBe('Capture(anyValue())');
  });
});
