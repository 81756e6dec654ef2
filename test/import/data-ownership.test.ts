import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importCompose } from '../../lib/import';

function importedSource(compose: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-import-owner-'));
  try {
    fs.writeFileSync(path.join(dir, 'compose.yml'), compose);
    return importCompose(['compose.yml'], { cwd: dir, stackName: 'owner' }).source;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('who owns an imported database data directory', () => {
  it('keeps the image user when the data lives on a named volume', () => {
    const source = importedSource('services:\n  db:\n    image: postgres:16\n    volumes: ["pg:/var/lib/postgresql/data"]\nvolumes:\n  pg: {}\n');
    expect(source).toContain('new PostgresService(');
    expect(source).not.toContain('startAsRoot');
  });

  it('starts as root when the data directory is a host folder, as the input did', () => {
    const source = importedSource('services:\n  db:\n    image: postgres:16\n    volumes: ["./pgdata:/var/lib/postgresql/data"]\n');
    expect(source).toContain('new PostgresService(');
    expect(source).toMatch(/startAsRoot: true/);
  });

  it('starts as root for a Redis whose /data is a host folder', () => {
    const source = importedSource('services:\n  cache:\n    image: redis:7\n    volumes: ["./redis:/data"]\n');
    expect(source).toContain('new RedisService(');
    expect(source).toMatch(/startAsRoot: true/);
  });
});
