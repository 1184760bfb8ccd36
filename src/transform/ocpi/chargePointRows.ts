/** One row of charge_points_UK.csv: kept EVSEs counted per distinct six fields. */
export interface ChargePointRow {
  operator: string;
  parkingType: string;
  connectorTypes: string;
  speedCategory: string;
  postcode: string;
  month: string;
  evses: number;
}

/**
 * The six fields as one string whose plain comparison (`<`, UTF-16 code units)
 * orders rows exactly like comparing the fields one by one: each field has U+0000
 * written as U+0000 U+0001 and ends with U+0000 U+0000, which sorts below any
 * continuation of a field, so a field sorts before its extensions.
 */
const NUL = '\u0000';
const ESCAPED_NUL = '\u0000\u0001';
const FIELD_END = '\u0000\u0000';

export function rowKey(fields: readonly string[]): string {
  return fields.map((field) => field.replaceAll(NUL, ESCAPED_NUL) + FIELD_END).join('');
}

/** The six fields of a row key. */
export function rowFields(key: string): string[] {
  // An escaped field never holds U+0000 U+0000, so the split finds exactly the field ends.
  return key
    .split(FIELD_END)
    .slice(0, -1)
    .map((field) => field.replaceAll(ESCAPED_NUL, NUL));
}

/** Kept EVSEs per row key: one entry per distinct row, whatever the number of EVSEs. */
export class ChargePointRows {
  private readonly evses = new Map<string, number>();

  add(row: string, evses: number): void {
    this.evses.set(row, (this.evses.get(row) ?? 0) + evses);
  }

  get size(): number {
    return this.evses.size;
  }

  /** The rows in contract order (ascending by the six fields). */
  *sorted(): Generator<ChargePointRow> {
    for (const key of [...this.evses.keys()].sort()) {
      const [operator, parkingType, connectorTypes, speedCategory, postcode, month] = rowFields(key);
      yield { operator, parkingType, connectorTypes, speedCategory, postcode, month, evses: this.evses.get(key)! };
    }
  }
}
