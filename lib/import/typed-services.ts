import { Expr, arr, call, lit } from './expr';
import { Json, Mapping } from './parse';
import { shellWords, splitImage } from './values';

/**
 * A typed construct an official image maps to, with the props that carry what the input says.
 * When the construct cannot say all of it, the service stays a general construct instead,
 * which keeps every key as written rather than change what the input means.
 */
export interface TypedService {
  readonly construct: string;
  /** Props from the image and the environment. */
  readonly props: [string, Expr][];
  /** Environment variables the props carry (the rest stays `env`). */
  readonly consumed: readonly string[];
  /** The image's data directory, where a named volume keeps the data. */
  readonly dataDirectory: string;
  /** Container ports the construct declares itself. */
  readonly ownPorts: readonly number[];
}

/** What a typed mapping needs to know of the service. */
export interface ServiceFacts {
  readonly image: string;
  readonly env: Mapping;
  readonly command: Json | undefined;
  readonly volumeTargets: readonly string[];
  /** Where host folders are bind-mounted. */
  readonly bindTargets: readonly string[];
  readonly secret: (envName: string, required: boolean) => Expr | undefined;
  readonly plain: (envName: string) => Expr | undefined;
}

/** The first number of a tag: `16-alpine` -> 16; undefined for `latest`, `alpine` or none. */
function major(tag: string | undefined): number | undefined {
  const m = tag ? /^(\d+)/.exec(tag) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * The typed construct for a service's image, by repository name, or undefined. Images whose
 * tag is chosen by a variable stay general: a typed construct reads its version at synth.
 */
export function typedService(facts: ServiceFacts): TypedService | undefined {
  const typed = officialConstruct(facts);
  // A host folder as data directory belongs to whoever made it (root, mostly): the image's
  // entrypoint must start as root to take it over, as the input's does.
  if (typed && facts.bindTargets.includes(typed.dataDirectory)) return { ...typed, props: [...typed.props, ['startAsRoot', lit(true)]] };
  return typed;
}

function officialConstruct(facts: ServiceFacts): TypedService | undefined {
  const { repo, tag } = splitImage(facts.image);
  const version: [string, Expr][] = [['version', lit(tag ?? 'latest')]];
  switch (repo) {
    case 'postgres': {
      if (facts.command !== undefined) return undefined;
      const props: [string, Expr][] = [...version];
      const user = facts.plain('POSTGRES_USER') ?? lit('postgres');
      props.push(['user', user]);
      // The image names the database after the user when POSTGRES_DB is not set.
      props.push(['database', facts.plain('POSTGRES_DB') ?? user]);
      const password = facts.secret('POSTGRES_PASSWORD', true);
      if (password) props.push(['password', password]);
      const image = major(tag) !== undefined && (major(tag) as number) < 18 ? '/var/lib/postgresql/data' : '/var/lib/postgresql';
      const given = facts.volumeTargets.find((t) => t === '/var/lib/postgresql/data' || t === '/var/lib/postgresql');
      const dataDirectory = given ?? image;
      if (dataDirectory !== image) props.push(['dataDirectory', lit(dataDirectory)]);
      return { construct: 'PostgresService', props, consumed: ['POSTGRES_USER', 'POSTGRES_DB', 'POSTGRES_PASSWORD'], dataDirectory, ownPorts: [5432] };
    }
    case 'redis': {
      const args = redisServerArgs(facts.command);
      if (args === undefined) return undefined;
      const props: [string, Expr][] = [...version, ['persistence', call('RedisPersistence', 'imageDefault')]];
      if (args.length > 0) props.push(['serverArgs', arr(args.map(lit))]);
      return { construct: 'RedisService', props, consumed: [], dataDirectory: '/data', ownPorts: [6379] };
    }
    case 'mongo': {
      if (facts.command !== undefined) return undefined;
      const props: [string, Expr][] = [...version];
      const user = facts.plain('MONGO_INITDB_ROOT_USERNAME');
      const password = facts.secret('MONGO_INITDB_ROOT_PASSWORD', false);
      if ((user === undefined) !== (password === undefined)) return undefined;
      if (user && password) props.push(['rootUsername', user], ['rootPassword', password]);
      return { construct: 'MongoService', props, consumed: ['MONGO_INITDB_ROOT_USERNAME', 'MONGO_INITDB_ROOT_PASSWORD'], dataDirectory: '/data/db', ownPorts: [27017] };
    }
    case 'rabbitmq': {
      // Without a password the image's guest account is open; RabbitMqService always sets one.
      if (facts.command !== undefined || facts.env.RABBITMQ_DEFAULT_PASS === undefined) return undefined;
      const props: [string, Expr][] = [...version];
      const user = facts.plain('RABBITMQ_DEFAULT_USER');
      if (user) props.push(['user', user]);
      const password = facts.secret('RABBITMQ_DEFAULT_PASS', true);
      if (password) props.push(['password', password]);
      return { construct: 'RabbitMqService', props, consumed: ['RABBITMQ_DEFAULT_USER', 'RABBITMQ_DEFAULT_PASS'], dataDirectory: '/var/lib/rabbitmq', ownPorts: [5672, 15672] };
    }
    default:
      return undefined;
  }
}

/**
 * The `redis-server` arguments of a Redis service's command (`--save 60 1`, or
 * `redis-server --appendonly yes`), or undefined when the command runs something else.
 */
function redisServerArgs(command: Json | undefined): string[] | undefined {
  if (command === undefined || command === null) return [];
  const words = typeof command === 'string' ? shellWords(command) : Array.isArray(command) && command.every((w) => typeof w === 'string') ? (command as string[]) : undefined;
  if (!words) return undefined;
  const args = words[0] === 'redis-server' ? words.slice(1) : words;
  // The image's entrypoint runs redis-server for a command that starts with a flag.
  if (args.length > 0 && !args[0].startsWith('-')) return undefined;
  if (args.some((a) => a.endsWith('.conf'))) return undefined;
  return args;
}
