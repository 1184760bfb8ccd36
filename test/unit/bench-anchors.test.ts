import { describe, expect, it } from 'vitest';
import { anchorCsvDifference } from '../../bench/anchorCsv';
import { parsePins } from '../../bench/anchorPython';

const expected =
  'ChargeDeviceManufacturer,LocationType,ChargeDeviceModel,PostCode,MonthUpdated,Count\nABB,Other,"Terra ""HP"" 175",TW6 2RQ,2024-01,3\nRolec,On-street,QubEV,EH1 1AA,2023-12,1\n';

describe("bench anchors' CSV check", () => {
  it('accepts the expected CSV, and the same with the platform line endings pandas writes on Windows', () => {
    expect(anchorCsvDifference(expected, expected)).toBeUndefined();
    expect(anchorCsvDifference(expected.replaceAll('\n', '\r\n'), expected)).toBeUndefined();
  });

  it('reports the row counts and the first line that differs', () => {
    const miscounted = expected.replace('TW6 2RQ,2024-01,3', 'TW6 2RQ,2024-01,2');
    expect(anchorCsvDifference(miscounted, expected)).toBe(
      '2 rows against 2 expected; first difference on line 2: "ABB,Other,\\"Terra \\"\\"HP\\"\\" 175\\",TW6 2RQ,2024-01,2", expected "ABB,Other,\\"Terra \\"\\"HP\\"\\" 175\\",TW6 2RQ,2024-01,3"',
    );
    const dropped = expected.split('\n').slice(0, 2).join('\n') + '\n';
    expect(anchorCsvDifference(dropped, expected)).toMatch(
      /^1 rows against 2 expected; first difference on line 3: the end, expected "Rolec/,
    );
    expect(anchorCsvDifference(`${expected}extra,row,,,,1\n`, expected)).toMatch(
      /^3 rows against 2 expected; first difference on line 4: "extra,row,,,,1", expected the end$/,
    );
  });

  it('reads the pinned requirements, and refuses a line that is not name==version', () => {
    expect(parsePins('# comment\npandas==2.3.3\n\nduckdb==2.0.1  # why\n')).toEqual([
      { name: 'pandas', version: '2.3.3' },
      { name: 'duckdb', version: '2.0.1' },
    ]);
    expect(() => parsePins('pandas>=2\n')).toThrow('expected name==version, found "pandas>=2"');
  });
});
