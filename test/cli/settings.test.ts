import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHARTS_CONTEXT } from '../../lib';
import { parseArguments } from '../../lib/cli/args';
import { resolveSettings } from '../../lib/cli/run-app';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A folder holding `config` as its cdk-compose.json. */
function configured(config: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-settings-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'cdk-compose.json'), JSON.stringify({ app: 'node app.js', ...config }));
  return dir;
}

describe('the settings the command runs the app with', () => {
  it('turn the Helm charts off through the context with "charts": false in cdk-compose.json, or with --no-charts', () => {
    expect(resolveSettings(parseArguments(['synth']), configured({ charts: false })).context).toEqual({ [CHARTS_CONTEXT]: false });
    expect(resolveSettings(parseArguments(['synth', '--no-charts']), configured({ context: { port: 80 } })).context).toEqual({ port: 80, [CHARTS_CONTEXT]: false });
  });

  it('leave the charts on by default and with "charts": true', () => {
    expect(resolveSettings(parseArguments(['synth']), configured({})).context).toEqual({});
    expect(resolveSettings(parseArguments(['synth']), configured({ charts: true })).context).toEqual({});
  });

  it('fail on "charts" that is not a boolean', () => {
    expect(() => resolveSettings(parseArguments(['synth']), configured({ charts: 'no' }))).toThrow(/"charts" must be a boolean, got "no"/);
  });
});
