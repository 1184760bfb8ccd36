import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  collectValues,
  parseDataset,
  parseDestinationOption,
  parseDuration,
  parseInstant,
  parsePositiveInteger,
  parseSourceUrl,
  parseTimeZone,
} from '../../src/cli/optionParsers';

describe('parseDuration', () => {
  it('reads the temporal CLI duration forms', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('500ms')).toBe(500);
  });

  it('refuses anything else, and zero', () => {
    for (const bad of ['', '24', 'h', '1 h', '1.5h', '1y', '-1h', '0s', '1h 30m']) {
      expect(() => parseDuration(bad), bad).toThrow(InvalidArgumentError);
    }
  });
});

describe('parseInstant', () => {
  it('reads a date as midnight UTC and a date-time with its zone', () => {
    expect(parseInstant('2025-01-31').toISOString()).toBe('2025-01-31T00:00:00.000Z');
    expect(parseInstant('2025-01-31T06:00:00Z').toISOString()).toBe('2025-01-31T06:00:00.000Z');
    expect(parseInstant('2025-06-30T06:00+01:00').toISOString()).toBe('2025-06-30T05:00:00.000Z');
  });

  it('refuses a date-time without a zone rather than guess one, and non-dates', () => {
    for (const bad of ['2025-01-31T06:00:00', 'yesterday', '2025-13-45', '31/01/2025']) {
      expect(() => parseInstant(bad), bad).toThrow(InvalidArgumentError);
    }
  });
});

describe('other option values', () => {
  it('time zones must be IANA names', () => {
    expect(parseTimeZone('Europe/London')).toBe('Europe/London');
    expect(() => parseTimeZone('Mars/Base')).toThrow(InvalidArgumentError);
  });

  it('limits are whole numbers of at least 1', () => {
    expect(parsePositiveInteger('20')).toBe(20);
    for (const bad of ['0', '-1', '2.5', 'ten', ''])
      expect(() => parsePositiveInteger(bad), bad).toThrow(InvalidArgumentError);
  });

  it('source URLs must be http(s); destinations as the worker checks them', () => {
    expect(parseSourceUrl('https://reg.test/ncr.json')).toBe('https://reg.test/ncr.json');
    expect(() => parseSourceUrl('ftp://reg.test/x')).toThrow(InvalidArgumentError);
    expect(() => parseSourceUrl('not a url')).toThrow(InvalidArgumentError);
    expect(parseDestinationOption('s3://bucket/ev/')).toBe('s3://bucket/ev/');
    expect(() => parseDestinationOption('gs://bucket')).toThrow(InvalidArgumentError);
  });
});

describe('parseDataset', () => {
  it('reads the two dataset names', () => {
    expect(parseDataset('charger-models')).toBe('charger-models');
    expect(parseDataset('charge-points')).toBe('charge-points');
  });

  it('refuses anything else, naming both', () => {
    for (const bad of ['', 'charge_points', 'ChargePoints', 'ncr', 'charger-models,charge-points']) {
      expect(() => parseDataset(bad), bad).toThrow(
        new InvalidArgumentError('expected charger-models or charge-points.'),
      );
    }
  });
});

describe('collectValues', () => {
  it('collects a repeated option in the order given', () => {
    expect(collectValues('b', collectValues('a'))).toEqual(['a', 'b']);
  });
});
