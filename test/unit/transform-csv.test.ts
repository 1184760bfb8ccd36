import { describe, expect, it } from 'vitest';
import type { ChargerModelRow } from '../../src/transform/aggregate';
import { csvChunks, formatCsv } from '../../src/transform/csv';
import { CSV_HEADER } from './transform-helpers';

function row(fields: Partial<ChargerModelRow>): ChargerModelRow {
  return {
    manufacturer: 'M',
    locationType: 'L',
    model: 'X',
    postcode: 'TW6 2RQ',
    month: '2020-01',
    count: 1,
    ...fields,
  };
}

describe('CSV formatting', () => {
  it('writes only the header line and LF when there are no rows', () => {
    expect(formatCsv([])).toBe(CSV_HEADER);
  });

  it('ends every record with LF, including the last, and has no BOM', () => {
    const csv = formatCsv([row({ count: 2 }), row({ model: 'Y', count: 10 })]);
    expect(csv).toBe(`${CSV_HEADER}M,L,X,TW6 2RQ,2020-01,2\nM,L,Y,TW6 2RQ,2020-01,10\n`);
    expect(
      Buffer.from(csv, 'utf8')
        .subarray(0, 3)
        .equals(Buffer.from([0xef, 0xbb, 0xbf])),
    ).toBe(false);
    expect(csv).not.toContain('\r');
  });

  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line\nbreak', '"line\nbreak"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['crlf\r\n', '"crlf\r\n"'],
  ])('quotes %j as %j', (text, quoted) => {
    expect(formatCsv([row({ manufacturer: text, model: text })])).toBe(
      `${CSV_HEADER}${quoted},L,${quoted},TW6 2RQ,2020-01,1\n`,
    );
  });

  it.each([[' padded '], ['semi;colon'], ["it's"], ['=1+1'], ['-5'], ['tab\there'], ['\u2028'], ['café 😀'], ['']])(
    'leaves %j unquoted',
    (text) => {
      expect(formatCsv([row({ locationType: text })])).toBe(`${CSV_HEADER}M,${text},X,TW6 2RQ,2020-01,1\n`);
    },
  );

  it('writes the header once however many chunks the rows take', () => {
    const rows = Array.from({ length: 4321 }, (_, index) => row({ postcode: `P${index}`, count: index + 1 }));
    const chunks = [...csvChunks(rows)];
    expect(chunks.length).toBeGreaterThan(1);
    const csv = chunks.join('');
    const lines = csv.split('\n');
    expect(lines[0]).toBe(CSV_HEADER.trimEnd());
    expect(lines.filter((line) => line.startsWith('ChargeDeviceManufacturer'))).toHaveLength(1);
    expect(lines).toHaveLength(4321 + 2);
    expect(lines.at(-2)).toBe('M,L,X,P4320,2020-01,4321');
    expect(lines.at(-1)).toBe('');
  });
});
