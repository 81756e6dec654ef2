import { Duration } from '../../lib';
import { Match, Matcher } from '../../lib/testing';

/** The failure lines of testing `actual` against `matcher`; empty when it matches. */
function failures(matcher: Matcher, actual: unknown): string[] {
  return matcher.test(actual).toHumanStrings();
}

describe('Match.objectLike', () => {
  it('ignores keys the pattern leaves out, at every depth', () => {
    const matcher = Match.objectLike({ healthcheck: { interval: '10s' } });

    expect(failures(matcher, { image: 'redis', healthcheck: { interval: '10s', retries: 5 } })).toEqual([]);
  });

  it('names the path and both values of a mismatch', () => {
    const matcher = Match.objectLike({ healthcheck: { interval: '5s' } });

    expect(failures(matcher, { healthcheck: { interval: '10s' } })).toEqual(['healthcheck.interval: expected "5s", got "10s"']);
  });

  it('says a key is missing', () => {
    expect(failures(Match.objectLike({ restart: 'no' }), {})).toEqual(['restart: expected "no", got nothing']);
  });

  it('fails when the value is not an object', () => {
    expect(failures(Match.objectLike({ a: 1 }), ['a'])).toEqual(['expected an object {"a": 1}, got ["a"]']);
  });

  it('quotes keys that are not identifiers in paths', () => {
    const matcher = Match.objectLike({ metadata: { labels: { 'app.kubernetes.io/name': 'api' } } });

    expect(failures(matcher, { metadata: { labels: { 'app.kubernetes.io/name': 'db' } } })).toEqual([
      'metadata.labels["app.kubernetes.io/name"]: expected "api", got "db"',
    ]);
  });

  it('lists every mismatch, not only the first', () => {
    expect(failures(Match.objectLike({ a: 1, b: 2 }), { a: 0, b: 0 })).toHaveLength(2);
  });

  it('refuses a pattern that is not a plain object', () => {
    expect(() => Match.objectLike(['a'] as unknown as Record<string, unknown>)).toThrow(/Match.objectLike needs a plain object/);
  });
});

describe('Match.objectEquals', () => {
  it('passes on exactly the keys of the pattern', () => {
    expect(failures(Match.objectEquals({ condition: 'service_healthy' }), { condition: 'service_healthy' })).toEqual([]);
  });

  it('fails on a key the pattern does not have, at any depth', () => {
    const matcher = Match.objectEquals({ db: { condition: 'service_healthy' } });

    expect(failures(matcher, { db: { condition: 'service_healthy', required: true }, redis: {} })).toEqual([
      'db.required: unexpected key, with value true',
      'redis: unexpected key, with value {}',
    ]);
  });
});

describe('plain values in a pattern', () => {
  it('are literals compared strictly', () => {
    expect(failures(Match.objectLike({ replicas: 3 }), { replicas: '3' })).toEqual(['replicas: expected 3, got "3"']);
    expect(failures(Match.objectLike({ readOnly: true, user: null }), { readOnly: true, user: null })).toEqual([]);
  });

  it('match arrays element by element, with the same length', () => {
    const matcher = Match.objectLike({ command: ['redis-server', '--appendonly', 'yes'] });

    expect(failures(matcher, { command: ['redis-server', '--appendonly', 'yes'] })).toEqual([]);
    expect(failures(matcher, { command: ['redis-server', '--appendonly', 'no'] })).toEqual(['command[2]: expected "yes", got "no"']);
    expect(failures(matcher, { command: ['redis-server'] })).toEqual([
      'command: expected 3 elements ["redis-server", "--appendonly", "yes"], got 1 ["redis-server"]',
    ]);
  });

  it('match objects inside arrays partially within objectLike', () => {
    const matcher = Match.objectLike({ containers: [{ name: 'api' }] });

    expect(failures(matcher, { containers: [{ name: 'api', image: 'x' }] })).toEqual([]);
  });

  it('treat a RegExp as a string matcher', () => {
    const matcher = Match.objectLike({ metadata: { name: /^migrate-[0-9a-f]{10}$/ } });

    expect(failures(matcher, { metadata: { name: 'migrate-0123456789' } })).toEqual([]);
    expect(failures(matcher, { metadata: { name: 'migrate' } })).toEqual([
      'metadata.name: expected a string matching /^migrate-[0-9a-f]{10}$/, got "migrate"',
    ]);
  });

  it('treat undefined as an absent key', () => {
    expect(failures(Match.objectLike({ ports: undefined }), { image: 'x' })).toEqual([]);
    expect(failures(Match.objectLike({ ports: undefined }), { ports: ['80:80'] })).toEqual(['ports: expected nothing (absent), got ["80:80"]']);
  });

  it('fails at construction when a pattern holds something no document holds', () => {
    expect(() => Match.objectLike({ healthcheck: { interval: Duration.seconds(5) } })).toThrow(
      /pattern at healthcheck.interval holds a Duration; patterns hold plain data .*'5s' rather than Duration.seconds\(5\)/,
    );
    expect(() => Match.arrayWith([() => true])).toThrow(/pattern at \[0\] holds a function/);
  });
});

describe('Match.arrayWith', () => {
  it('finds the pattern as an ordered subsequence', () => {
    const matcher = Match.arrayWith(['CMD', 'http://localhost:8080/healthz']);

    expect(failures(matcher, ['CMD', 'curl', '-fsS', 'http://localhost:8080/healthz'])).toEqual([]);
  });

  it('passes with an empty pattern on any array', () => {
    expect(failures(Match.arrayWith([]), [])).toEqual([]);
  });

  it('matches objects in its elements partially', () => {
    const env = [
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'POSTGRES_PASSWORD' } } },
      { name: 'DATABASE_URL', value: 'postgresql://app:$(POSTGRES_PASSWORD)@db:5432/app' },
    ];

    expect(failures(Match.arrayWith([{ name: 'POSTGRES_PASSWORD' }, { name: 'DATABASE_URL' }]), env)).toEqual([]);
  });

  it('fails on elements out of order, and points to arrayWithUnordered', () => {
    expect(failures(Match.arrayWith(['b', 'a']), ['a', 'b'])).toEqual([
      'arrayWith pattern [1] "a" matches [0], which comes before the elements matched by the patterns before it; ' +
        'arrayWith keeps the order of its pattern: use Match.arrayWithUnordered to ignore it',
    ]);
  });

  it('shows the element closest to a pattern element that matches none', () => {
    const env = [
      { name: 'DATABASE_URL', value: 'postgresql://db' },
      { name: 'CACHE_URL', value: 'redis://redis:6379/1' },
    ];

    expect(failures(Match.arrayWith([{ name: 'CACHE_URL', value: 'redis://redis:6379/2' }]), env)).toEqual([
      'no element matches arrayWith pattern [0] {"name": "CACHE_URL", "value": "redis://redis:6379/2"}; the closest is [1]:',
      '[1].value: expected "redis://redis:6379/2", got "redis://redis:6379/1"',
    ]);
  });

  it('says when no element is left for a pattern element', () => {
    expect(failures(Match.arrayWith(['a', 'b']), ['a'])).toEqual(['no element matches arrayWith pattern [1] "b": no element is left to try']);
  });

  it('fails when the value is not an array', () => {
    expect(failures(Match.arrayWith(['a']), 'a')).toEqual(['expected an array with ["a"], got "a"']);
  });
});

describe('Match.arrayWithUnordered', () => {
  it('finds each pattern element in any order', () => {
    expect(failures(Match.arrayWithUnordered(['c', 'a']), ['a', 'b', 'c'])).toEqual([]);
  });

  it('gives each pattern element an element of its own, whatever the order of the pattern', () => {
    // A greedy search would give 'a' to anyValue() and find nothing left for 'a'.
    expect(failures(Match.arrayWithUnordered([Match.anyValue(), 'a']), ['a', 'b'])).toEqual([]);
    expect(failures(Match.arrayWithUnordered(['a', 'a']), ['a', 'b'])).toEqual([
      'arrayWithUnordered pattern [1] "a" only matches [0], which other patterns already match; each pattern element needs an element of its own',
    ]);
  });

  it('shows the closest element of a pattern element that matches none', () => {
    const ports = [
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090 },
    ];

    expect(failures(Match.arrayWithUnordered([{ name: 'metrics', containerPort: 9100 }]), ports)).toEqual([
      'no element matches arrayWithUnordered pattern [0] {"name": "metrics", "containerPort": 9100}; the closest is [1]:',
      '[1].containerPort: expected 9100, got 9090',
    ]);
  });
});

describe('Match.arrayEquals', () => {
  it('passes on the same elements in the same order', () => {
    expect(failures(Match.arrayEquals(['CMD', 'redis-cli', 'ping']), ['CMD', 'redis-cli', 'ping'])).toEqual([]);
  });

  it('compares objects in its elements exactly', () => {
    expect(failures(Match.arrayEquals([{ name: 'api' }]), [{ name: 'api', image: 'x' }])).toEqual(['[0].image: unexpected key, with value "x"']);
  });

  it('fails on another order or length', () => {
    expect(failures(Match.arrayEquals(['a', 'b']), ['b', 'a'])).toEqual(['[0]: expected "a", got "b"', '[1]: expected "b", got "a"']);
    expect(failures(Match.arrayEquals(['a']), ['a', 'b'])).toEqual(['expected 1 element ["a"], got 2 ["a", "b"]']);
  });
});

describe('Match.arrayEqualsUnordered', () => {
  it('passes on the same elements in any order', () => {
    expect(failures(Match.arrayEqualsUnordered(['ALL', 'NET_RAW']), ['NET_RAW', 'ALL'])).toEqual([]);
  });

  it('fails on an extra element, showing the array', () => {
    expect(failures(Match.arrayEqualsUnordered(['a']), ['b', 'a'])).toEqual(['expected 1 element in any order, got 2 ["b", "a"]']);
  });

  it('fails on a missing element, showing the closest', () => {
    expect(failures(Match.arrayEqualsUnordered(['a', 'c']), ['b', 'a'])).toEqual([
      'no element matches arrayEqualsUnordered pattern [1] "c"; the closest is [0]:',
      '[0]: expected "c", got "b"',
    ]);
  });

  it('compares objects in its elements exactly', () => {
    expect(failures(Match.arrayEqualsUnordered([{ name: 'a' }]), [{ name: 'a', extra: 1 }])).toHaveLength(2);
  });
});

describe('Match.exact', () => {
  it('compares plain objects exactly even inside objectLike', () => {
    const matcher = Match.objectLike({ deploy: Match.exact({ replicas: 3 }) });

    expect(failures(matcher, { image: 'x', deploy: { replicas: 3 } })).toEqual([]);
    expect(failures(matcher, { deploy: { replicas: 3, resources: {} } })).toEqual(['deploy.resources: unexpected key, with value {}']);
  });
});

describe('Match.absent', () => {
  it('passes on a missing key and fails on a present one', () => {
    expect(failures(Match.objectLike({ ports: Match.absent() }), {})).toEqual([]);
    expect(failures(Match.objectLike({ ports: Match.absent() }), { ports: ['8080:8080'] })).toEqual([
      'ports: expected nothing (absent), got ["8080:8080"]',
    ]);
  });
});

describe('Match.anyValue', () => {
  it('passes on any value and fails on a missing one or null', () => {
    expect(failures(Match.objectLike({ healthcheck: Match.anyValue() }), { healthcheck: {} })).toEqual([]);
    expect(failures(Match.objectLike({ healthcheck: Match.anyValue() }), {})).toEqual(['healthcheck: expected any value, got nothing']);
    expect(failures(Match.anyValue(), null)).toEqual(['expected any value, got null']);
  });
});

describe('Match.stringLikeRegexp', () => {
  it('matches strings by a regular expression given as text or RegExp', () => {
    expect(failures(Match.stringLikeRegexp('^ghcr\\.io/'), 'ghcr.io/acme/api:1.4.2')).toEqual([]);
    expect(failures(Match.stringLikeRegexp(/:1\.4\.2$/), 'ghcr.io/acme/api:1.4.2')).toEqual([]);
  });

  it('fails on another string or a non-string', () => {
    expect(failures(Match.stringLikeRegexp('^ghcr'), 'docker.io/api')).toEqual(['expected a string matching /^ghcr/, got "docker.io/api"']);
    expect(failures(Match.stringLikeRegexp('8080'), 8080)).toEqual(['expected a string matching /8080/, got 8080']);
  });

  it('gives the same answer every time, even for a global RegExp', () => {
    const matcher = Match.stringLikeRegexp(/api/g);

    expect([failures(matcher, 'api'), failures(matcher, 'api')]).toEqual([[], []]);
  });
});

describe('Match.not', () => {
  it('passes when its pattern does not match', () => {
    expect(failures(Match.objectLike({ restart: Match.not('no') }), { restart: 'unless-stopped' })).toEqual([]);
  });

  it('fails when its pattern matches, naming it', () => {
    expect(failures(Match.objectLike({ restart: Match.not('no') }), { restart: 'no' })).toEqual(['restart: expected anything but "no", got "no"']);
  });

  it('matches plain objects in its pattern partially', () => {
    const matcher = Match.not({ privileged: true });

    expect(failures(matcher, { privileged: true, runAsUser: 1000 })).toEqual([
      'expected anything but {"privileged": true}, got {"privileged": true, "runAsUser": 1000}',
    ]);
    expect(failures(matcher, { runAsUser: 1000 })).toEqual([]);
  });
});

describe('nested matchers', () => {
  it('work at any depth, inside arrays and objects', () => {
    const deployment = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'api',
                env: [
                  { name: 'A', value: '1' },
                  { name: 'DATABASE_URL', value: 'postgresql://app:$(POSTGRES_PASSWORD)@db:5432/app' },
                ],
                securityContext: { allowPrivilegeEscalation: false },
              },
            ],
          },
        },
      },
    };
    const matcher = Match.objectLike({
      spec: {
        template: {
          spec: {
            containers: Match.arrayWith([
              Match.objectLike({
                env: Match.arrayWithUnordered([{ name: 'DATABASE_URL', value: Match.stringLikeRegexp('@db:5432/') }, { name: 'A' }]),
                securityContext: Match.objectEquals({ allowPrivilegeEscalation: false }),
                resources: Match.absent(),
              }),
            ]),
          },
        },
      },
    });

    expect(failures(matcher, deployment)).toEqual([]);
  });

  it('report the full path of a deep mismatch', () => {
    const matcher = Match.objectLike({ spec: { containers: [{ securityContext: { runAsNonRoot: true } }] } });

    expect(failures(matcher, { spec: { containers: [{ securityContext: { runAsNonRoot: false } }] } })).toEqual([
      'spec.containers[0].securityContext.runAsNonRoot: expected true, got false',
    ]);
  });
});

describe('Matcher', () => {
  it('recognizes matchers', () => {
    expect(Matcher.isMatcher(Match.anyValue())).toBe(true);
    expect(Matcher.isMatcher({ test: () => undefined })).toBe(false);
  });

  it('reads in messages as it is written', () => {
    expect(String(Match.arrayWith([Match.stringLikeRegexp('^a'), { b: 1 }]))).toBe('arrayWith([stringLikeRegexp(/^a/), {"b": 1}])');
    expect(String(Match.not(Match.absent()))).toBe('not(absent())');
    expect(String(Match.objectEquals({ a: [1] }))).toBe('objectEquals({"a": [1]})');
  });

  it('cuts long values in messages', () => {
    const [line] = failures(Match.objectLike({ a: 'x' }), { a: 'y'.repeat(500) });

    expect(line.length).toBeLessThan(130);
    expect(line).toMatch(/…$/);
  });
});
