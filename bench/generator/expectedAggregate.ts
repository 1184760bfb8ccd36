import type { TransformStats } from '../../src/domain/stats';
import type { ExpectedDevice } from './edgeCases';

const HEADER = 'ChargeDeviceManufacturer,LocationType,ChargeDeviceModel,PostCode,MonthUpdated,Count\n';

type RowFields = [manufacturer: string, locationType: string, model: string, postcode: string, month: string];

/**
 * The CSV and statistics the transform must produce for a generated payload,
 * built from what the generator meant (ExpectedDevice) with its own counting,
 * sorting and quoting: deliberately sharing no code with src/transform, so that
 * equality with it is evidence at sizes JSON.parse cannot load.
 */
export class ExpectedAggregate {
  private readonly counts = new Map<string, number>();
  private readonly tally = {
    devicesSeen: 0,
    devicesKept: 0,
    droppedNoModel: 0,
    postcodeMissing: 0,
    postcodeInvalid: 0,
    postcodeNormalized: 0,
    monthMissing: 0,
  };

  add(device: ExpectedDevice): void {
    const tally = this.tally;
    tally.devicesSeen++;
    if (!device.kept) {
      tally.droppedNoModel++;
      return;
    }
    tally.devicesKept++;
    if (device.postcodeOutcome === 'missing') tally.postcodeMissing++;
    if (device.postcodeOutcome === 'invalid') tally.postcodeInvalid++;
    if (device.postcodeNormalized) tally.postcodeNormalized++;
    if (device.month === '') tally.monthMissing++;
    const fields: RowFields = [device.manufacturer, device.locationType, device.model, device.postcode, device.month];
    const key = JSON.stringify(fields);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  stats(): TransformStats {
    return { ...this.tally, malformedRecords: 0, oversizedRecords: 0, rows: this.counts.size };
  }

  /** The whole expected CSV: rows sorted by their five fields in UTF-16 code unit order. */
  csv(): string {
    const rows = [...this.counts].map(([key, count]) => ({ fields: JSON.parse(key) as RowFields, count }));
    rows.sort((a, b) => compareFields(a.fields, b.fields));
    const lines = rows.map(({ fields, count }) => `${fields.map(csvField).join(',')},${count}\n`);
    return HEADER + lines.join('');
  }
}

function compareFields(a: RowFields, b: RowFields): number {
  for (let k = 0; k < a.length; k++) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
