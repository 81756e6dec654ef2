import * as fs from 'fs';
import * as path from 'path';
import { run } from './harness/commands';
import { ComposeProject, waitFor } from './harness/compose-project';
import { dockerEnv } from './harness/engine';
import { CORPUS, fillDotEnv, importAndSynth } from './harness/imported-project';
import { describeOnEngine } from './harness/session';

/**
 * Moving a running project to cdk-compose keeps its data: the imported stack's Compose project
 * and volume names are the ones docker compose used for the input, so `up` on the output finds
 * the volume the input wrote to. gitea-postgres keeps Postgres's data on the volume `db_data`.
 */
describeOnEngine('a Compose project moved to cdk-compose keeps its data', (engine) => {
  if (!fs.existsSync(CORPUS)) {
    it.skip(`needs the corpus at ${CORPUS}`, () => undefined);
    return;
  }
  let input: ComposeProject;
  let output: ComposeProject;
  const psql = (project: ComposeProject, sql: string) => project.compose('exec', '-T', 'db', 'psql', '-U', 'gitea', '-d', 'gitea', '-tAc', sql);

  beforeAll(async () => {
    const folders = importAndSynth(path.join(engine.root, 'continuity'), 'gitea-postgres');
    input = new ComposeProject(engine, folders.input);
    output = new ComposeProject(engine, folders.output);
    fillDotEnv(folders.output, {});

    // GIVEN the input project, run as it is, with a row written to its database
    const up = input.compose('up', '-d', '--no-build', 'db');
    if (up.status !== 0) throw new Error(`docker compose up of the input failed:\n${up.stderr}`);
    await waitFor('the input database', () => (psql(input, 'SELECT 1').status === 0 ? true : undefined));
    const written = psql(input, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written by the input project')");
    if (written.status !== 0) throw new Error(`writing to the input database failed:\n${written.stderr}`);
    // WHEN it is taken down, keeping its volumes, and the imported output is brought up
    const down = input.compose('down');
    if (down.status !== 0) throw new Error(`docker compose down of the input failed:\n${down.stderr}`);
    output.up();
  });

  afterAll(() => {
    output?.compose('down', '--volumes', '--remove-orphans');
    input?.compose('down', '--volumes', '--remove-orphans');
  });

  it('runs the output as the same Compose project, on the volume the input wrote to', () => {
    const volumes = run('docker', ['volume', 'ls', '--format', '{{.Name}}'], { env: dockerEnv(engine) }).split('\n').filter((v) => v.startsWith('gitea-postgres_'));
    expect(volumes.sort()).toEqual(['gitea-postgres_db_data', 'gitea-postgres_git_data']);
    const mounts = run('docker', ['inspect', '--format', '{{range .Mounts}}{{.Name}} {{.Destination}}{{end}}', output.containerId('db')], { env: dockerEnv(engine) });
    expect(mounts.trim()).toBe('gitea-postgres_db_data /var/lib/postgresql/data');
  });

  it('reads back, as the same user, the row the input wrote', async () => {
    await waitFor('the output database to be healthy', () => (output.inspect('db').State.Health?.Status === 'healthy' ? true : undefined));
    const read = psql(output, 'SELECT note FROM kept');
    expect(read.stderr).toBe('');
    expect(read.stdout.trim()).toBe('written by the input project');
  });
});
