import * as fs from 'fs';
import * as path from 'path';
import { ComposeProject, waitFor } from './harness/compose-project';
import { CORPUS, fillDotEnv, importAndSynth } from './harness/imported-project';
import { describeOnEngine } from './harness/session';

/**
 * Real public Compose projects, imported as a user would (`cdk-compose import`, then synth) and
 * run from the output with Compose v2: every service comes up, the application reaches its
 * database through the connection the import kept, and only through it.
 */
const ENTRIES: { entry: string; app: string; database: { service: string; user: string; name: string }; port: number }[] = [
  { entry: 'miniflux', app: 'miniflux', database: { service: 'db', user: 'miniflux', name: 'miniflux' }, port: 8080 },
  { entry: 'umami', app: 'umami', database: { service: 'db', user: 'umami', name: 'umami' }, port: 3000 },
  { entry: 'gitea-postgres', app: 'gitea', database: { service: 'db', user: 'gitea', name: 'gitea' }, port: 3000 },
];

describeOnEngine('real Compose projects, imported and run from the output', (engine) => {
  if (!fs.existsSync(CORPUS)) {
    it.skip(`needs the corpus at ${CORPUS}`, () => undefined);
    return;
  }
  describe.each(ENTRIES)('$entry', ({ entry, app, database, port }) => {
    let project: ComposeProject;
    beforeAll(() => {
      const { output } = importAndSynth(path.join(engine.root, 'corpus'), entry);
      fillDotEnv(output, {});
      project = new ComposeProject(engine, output);
      project.assertImagesLoaded();
      project.up();
    });
    afterAll(() => {
      project?.compose('down', '--volumes', '--remove-orphans');
    });

    it('brings up every service, the database healthy', async () => {
      await waitFor(`${database.service} to be healthy`, () => (project.inspect(database.service).State.Health?.Status === 'healthy' ? true : undefined));
      expect(project.inspect(app).State.Status).toBe('running');
    });

    it('connects the application to its database with the identity the input gave it', async () => {
      const line = await waitFor(`${app} to connect`, () => project.logs(app).split('\n').find((l) => l.includes('connected to Postgres')));
      expect(line).toContain(`as ${database.user} on database ${database.name}`);
    });

    it('answers on its port from inside its network', async () => {
      const answer = await waitFor(`${app} to answer`, () => {
        const result = project.compose('exec', '-T', app, 'curl', '-fsS', `http://localhost:${port}/`);
        return result.status === 0 ? result.stdout : undefined;
      });
      expect(answer).toBe('ok\n');
    });

    it('keeps the database on a network that only the services that reach it join', () => {
      const name = path.basename(project.dir);
      expect(project.networks(database.service)).toEqual([`${name}_reach-${database.service}`]);
      expect(project.networks(app)).toEqual([`${name}_reach-${database.service}`]);
    });
  });
});
