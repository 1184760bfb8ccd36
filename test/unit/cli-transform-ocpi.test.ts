import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOfflineCli } from '../support/cliProcess';
import { CHARGY_EXPECTED_CSV, recordedBody } from '../support/openDataFixtures';
import { statsWith } from './ocpi-helpers';

/** The char.gy pages as the feed sent them, each in a file. */
function chargyPages(dir: string): string[] {
  return ['locations_page1.json', 'locations_page2.json'].map((name) => {
    const path = join(dir, name);
    writeFileSync(path, recordedBody(`chargy/${name}`));
    return path;
  });
}

describe('uk-chargers transform --format ocpi', () => {
  it('makes the char.gy pages, in page order, into the expected CSV and prints the stats as one JSON line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocpi-cli-'));
    const [page1, page2] = chargyPages(dir);
    const output = join(dir, 'charge_points_UK.csv');
    const result = await runOfflineCli([
      'transform',
      '--format',
      'ocpi',
      '--operator',
      'char.gy',
      '--input',
      page1,
      '--input',
      page2,
      '--output',
      output,
      '--json',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual(statsWith({ locationsSeen: 4, evsesSeen: 4, evsesKept: 4, rows: 4 }));
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(output, 'utf8')).toBe(CHARGY_EXPECTED_CSV);
  });

  it('fails in one line, exit 1, naming the page that is not a feed response, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocpi-cli-'));
    const [page1] = chargyPages(dir);
    const refused = join(dir, 'refused.json');
    writeFileSync(refused, '{"status_code": 2001, "status_message": "Invalid or missing parameters", "data": []}');
    const output = join(dir, 'charge_points_UK.csv');
    const result = await runOfflineCli([
      'transform',
      '--format',
      'ocpi',
      '--operator',
      'char.gy',
      '--input',
      page1,
      '--input',
      refused,
      '--output',
      output,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `uk-chargers: transform of ${refused} failed: the feed answered OCPI status_code 2001: Invalid or missing parameters\n`,
    );
    expect(existsSync(output)).toBe(false);
  });

  it('needs --operator with --format ocpi, and one --input without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocpi-cli-'));
    const [page1, page2] = chargyPages(dir);
    const output = join(dir, 'out.csv');
    const noOperator = await runOfflineCli(['transform', '--format', 'ocpi', '--input', page1, '--output', output]);
    expect(noOperator).toMatchObject({
      code: 1,
      stderr: 'uk-chargers: --format ocpi needs --operator <name>, the Operator of Locations that name none\n',
    });
    const twoPayloads = await runOfflineCli(['transform', '--input', page1, '--input', page2, '--output', output]);
    expect(twoPayloads).toMatchObject({
      code: 1,
      stderr: 'uk-chargers: --input is given more than once: only --format ocpi reads several pages\n',
    });
  });
});
