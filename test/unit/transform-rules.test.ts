import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceText, monthUpdated, normalizePostcode } from '../../src/transform/rules';

describe('deviceText', () => {
  it.each([
    ['Pod Point', 'Pod Point'],
    ['  Pod Point \t\n', 'Pod Point'],
    ['\u00a0Rolec\u2003', 'Rolec'],
    ['\ufeffABB\u2028', 'ABB'],
    ['   ', ''],
    ['', ''],
    ['a  b', 'a  b'],
  ])('trims the string %j to %j', (value, expected) => {
    expect(deviceText(value)).toBe(expected);
  });

  it.each([
    [JSON.parse('1e2'), '100'],
    [JSON.parse('1.50'), '1.5'],
    [JSON.parse('-0'), '0'],
    [JSON.parse('0.1'), '0.1'],
    [JSON.parse('1e21'), '1e+21'],
    [JSON.parse('123456789012345678901234567890'), '1.2345678901234568e+29'],
    [JSON.parse('1e400'), 'Infinity'],
    [-7, '-7'],
  ])('prints the number %j as %j', (value, expected) => {
    expect(deviceText(value)).toBe(expected);
  });

  it.each([[null], [undefined], [true], [false], [{}], [{ a: 'b' }], [[]], [['x']]])('makes %j empty', (value) => {
    expect(deviceText(value)).toBe('');
  });
});

describe('normalizePostcode', () => {
  it.each([
    ['tw62rq', 'TW6 2RQ'],
    [' TW6  2RQ ', 'TW6 2RQ'],
    ['TW6\u00a02RQ', 'TW6 2RQ'],
    ['TW6 2RQ', 'TW6 2RQ'],
    ['sw1a 1aa', 'SW1A 1AA'],
    ['EC1A1BB', 'EC1A 1BB'],
    ['m1 1ae', 'M1 1AE'],
    ['B33 8TH', 'B33 8TH'],
    ['dn55\t1pt\n', 'DN55 1PT'],
    ['R M 1 6 6 Y J', 'RM16 6YJ'],
  ])('writes the valid postcode %j as %j', (raw, text) => {
    expect(normalizePostcode(raw)).toEqual({ text, status: 'valid' });
  });

  it.each([
    ['not a postcode', 'NOT A POSTCODE'],
    ['  ab\u00a0 12\t', 'AB 12'],
    ['12345', '12345'],
    ['TW6 2RQQ', 'TW6 2RQQ'],
    ['TWW6 2RQ', 'TWW6 2RQ'],
    ['TW6-2RQ', 'TW6-2RQ'],
    ['TW6 2R', 'TW6 2R'],
    ['strasse', 'STRASSE'],
    ['straße', 'STRASSE'],
    ['n/a', 'N/A'],
  ])('keeps the invalid postcode %j as %j', (raw, text) => {
    expect(normalizePostcode(raw)).toEqual({ text, status: 'invalid' });
  });

  it.each([
    [''],
    ['   '],
    ['\u00a0\n'],
    [null],
    [undefined],
    [12345],
    [true],
    [{ PostCode: 'TW6 2RQ' }],
    [['TW6 2RQ']],
  ])('treats %j as missing', (raw) => {
    expect(normalizePostcode(raw)).toEqual({ text: '', status: 'missing' });
  });

  it('follows the contract wording for any text, canonical or not', () => {
    // The contract, step by step, without the shortcut for already-canonical postcodes.
    const byTheContract = (raw: string): { text: string; status: string } => {
      if (raw.trim() === '') return { text: '', status: 'missing' };
      const upper = raw.toUpperCase();
      const compact = upper.replace(/\s/g, '');
      if (/^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/.test(compact))
        return { text: `${compact.slice(0, -3)} ${compact.slice(-3)}`, status: 'valid' };
      return { text: upper.trim().replace(/\s+/g, ' '), status: 'invalid' };
    };
    const postcodeLike = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z]{1,3}[0-9][A-Za-z0-9]?$/),
        fc.constantFrom('', ' ', '  ', '\u00a0', '\n', 'x'),
        fc.stringMatching(/^[0-9]{1,2}[A-Za-z]{1,3}$/),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.oneof(postcodeLike, fc.string({ maxLength: 10 })),
        fc.constantFrom('', ' ', '\t'),
        (text, padding) => {
          const raw = padding + text + padding;
          expect(normalizePostcode(raw)).toEqual(byTheContract(raw));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('only uses ASCII letters and digits for the pattern', () => {
    // Fullwidth letters uppercase to fullwidth, which [A-Z] does not match.
    expect(normalizePostcode('ｔｗ6 2rq').status).toBe('invalid');
  });
});

describe('monthUpdated', () => {
  it.each([
    ['2020-02-18 07:09:30', '2020-02'],
    ['2020-02', '2020-02'],
    ['2020-0218', '2020-02'],
    ['1999-99-99', '1999-99'],
    ['2020-02\u0000', '2020-02'],
  ])('takes the month of %j', (value, month) => {
    expect(monthUpdated(value)).toBe(month);
  });

  it.each([
    ['2020-2-18'],
    [' 2020-02-18'],
    ['20200218'],
    ['2020/02/18'],
    ['abcd-ef'],
    ['٢٠٢٠-٠٢'],
    [''],
    [null],
    [undefined],
    [202002],
    [{}],
  ])('has no month for %j', (value) => {
    expect(monthUpdated(value)).toBe('');
  });
});
