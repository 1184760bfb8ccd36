import { emptyChargePointStats, type ChargePointStats } from '../../domain/chargePointStats';
import { PayloadError } from '../../domain/errors';
import { countKeptEvses, dedupeKey, evseGroup, KEPT_EVSE_COUNTERS, type EvseGroup } from './aggregate';
import { rowFields, rowKey } from './chargePointRows';
import { MAX_ELEMENT_BYTES } from './locationScanner';
import { isJsonObject, type JsonObject } from './rules';

/*
 * One feed's normalised data: what its pages add to charge_points_UK.csv, deduped
 * within the feed, for the merge to dedupe across feeds (mergeFeeds.ts). UTF-8
 * text, one JSON object a line, each line ended by "\n", in this order:
 *
 *   {"format":"uk-chargers/ocpi-normalised-feed","version":1}          header, always first
 *   {"group":0,"row":["char.gy","ON_STREET","IEC_62196_T2","slow","N15 5DX","2026-10"],"counters":["postcodeNormalized"]}
 *   {"key":["GB","CHG","L1","E1"],"group":0}                            a kept EVSE with a dedupe key
 *   {"keyless":0,"evses":3}                                             kept EVSEs of a group without one
 *   {"stats":{"locationsSeen":…,…,"rows":…}}                            the feed's stats, always last
 *
 * A group is a kind of kept EVSE: its six CSV fields and the counters (a
 * subsequence of KEPT_EVSE_COUNTERS) each such EVSE adds one to. Groups are
 * numbered 0, 1, … in the order they are defined, each defined once on the line
 * before its first use. Key lines (the dedupe key's four parts: country_code,
 * party_id, location id, EVSE uid) come in the order the EVSEs were first met, as
 * pages commit, so the data is written as it is made; keyless lines, one per group,
 * come at the end. The stats line's kept-EVSE counters and rows must agree with the
 * lines before it. Anything else is rejected with PayloadError naming the feed and
 * the line: it is not this format, another version, or truncated.
 */

const FORMAT = 'uk-chargers/ocpi-normalised-feed';
const VERSION = 1;

/**
 * The longest line read. A line holds at most one group, whose fields come from one
 * Location element (at most MAX_ELEMENT_BYTES of JSON), and JSON.stringify writes at
 * most three bytes for one source byte (an invalid byte read as U+FFFD).
 */
const MAX_LINE_BYTES = 3 * MAX_ELEMENT_BYTES + 1024;
const NEWLINE = 0x0a;
const NOT_THIS_FORMAT = `not normalised OCPI feed data (the first line is not a {"format":"${FORMAT}",…} header)`;

export function headerLine(): string {
  return `${JSON.stringify({ format: FORMAT, version: VERSION })}\n`;
}

export function groupLine(id: number, group: EvseGroup): string {
  return `${JSON.stringify({ group: id, row: rowFields(group.row), counters: group.counters })}\n`;
}

/** `key` is a dedupe key, already the JSON text of its four parts (see dedupeKey). */
export function keyLine(key: string, group: number): string {
  return `{"key":${key},"group":${group}}\n`;
}

export function keylessLine(group: number, evses: number): string {
  return `${JSON.stringify({ keyless: group, evses })}\n`;
}

export function statsLine(stats: ChargePointStats): string {
  return `${JSON.stringify({ stats })}\n`;
}

/** What the merge reads from one feed's normalised data, in order. */
export type NormalisedEntry =
  { kind: 'key'; key: string; group: EvseGroup } | { kind: 'keyless'; group: EvseGroup; evses: number };

interface Line {
  text: string;
  /** 1 for the first line. */
  number: number;
  /** Bytes before the line. */
  offset: number;
}

/**
 * Reads the normalised data of one feed in chunks split anywhere, holding only the
 * current line and the feed's groups. Throws PayloadError naming the feed and line
 * at the first thing that is not this format.
 */
export class NormalisedFeedReader {
  private readonly groups: EvseGroup[] = [];
  /** What the lines so far add up to, to check the stats line against. */
  private readonly counted = emptyChargePointStats();
  private stats: ChargePointStats | undefined;
  /** The number and offset of the last whole line read. */
  private lastLine = { number: 0, offset: 0 };
  /** The line being read: its pieces so far, their size, and the bytes before it. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  private offset = 0;

  /** @param feedId names the feed in errors. */
  constructor(private readonly feedId: string) {}

  /** The entries of the lines the next chunk completes. */
  write(piece: Buffer | string): NormalisedEntry[] {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    const entries: NormalisedEntry[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.parts.push(chunk.subarray(start, end));
      this.partBytes += end - start;
      this.checkLength();
      this.lastLine = { number: this.lastLine.number + 1, offset: this.offset };
      const entry = this.entry({ text: Buffer.concat(this.parts).toString('utf8'), ...this.lastLine });
      if (entry !== undefined) entries.push(entry);
      this.offset += this.partBytes + 1;
      this.parts = [];
      this.partBytes = 0;
      start = end + 1;
    }
    if (start < chunk.length) {
      this.parts.push(chunk.subarray(start));
      this.partBytes += chunk.length - start;
      this.checkLength();
    }
    return entries;
  }

  /** Checks the data is complete and returns the feed's stats (its last line). */
  end(): ChargePointStats {
    if (this.partBytes > 0) {
      this.fail(
        this.lastLine.number + 1,
        this.offset,
        'the data ends inside this line (truncated: no newline after it)',
      );
    }
    if (this.lastLine.number === 0) return this.fail(1, 0, 'the data is empty (no header line)');
    if (this.stats === undefined) {
      return this.fail(
        this.lastLine.number,
        this.lastLine.offset,
        'the data ends after this line without the stats line (truncated)',
      );
    }
    return this.stats;
  }

  /** The entry of one line; undefined for the header and group definitions. */
  private entry(line: Line): NormalisedEntry | undefined {
    const fail = (problem: string): never => this.fail(line.number, line.offset, problem);
    if (this.stats !== undefined) return fail('a line after the stats line, which must be the last');
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      if (line.number === 1) return fail(NOT_THIS_FORMAT);
      return fail(`not a JSON line (${(error as Error).message})`);
    }
    if (!isJsonObject(value)) return fail(line.number === 1 ? NOT_THIS_FORMAT : 'not a JSON object');
    if (line.number === 1) return this.header(value, fail);
    const fields = Object.keys(value).sort().join(',');
    if (fields === 'counters,group,row') return this.defineGroup(value, fail);
    if (fields === 'group,key') {
      const parts = value.key;
      if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((part) => typeof part === 'string')) {
        return fail('"key" is not an array of four strings');
      }
      const group = this.group(value.group, fail);
      countKeptEvses(this.counted, group, 1);
      return { kind: 'key', key: dedupeKey(...(parts as [string, string, string, string])), group };
    }
    if (fields === 'evses,keyless') {
      const group = this.group(value.keyless, fail);
      if (!isCount(value.evses) || value.evses === 0) return fail('"evses" is not a positive integer');
      countKeptEvses(this.counted, group, value.evses);
      return { kind: 'keyless', group, evses: value.evses };
    }
    if (fields === 'stats') {
      this.stats = this.checkedStats(value.stats, fail);
      return undefined;
    }
    return fail(`not a line of this format (fields ${fields || 'none'})`);
  }

  private header(value: JsonObject, fail: (problem: string) => never): undefined {
    if (value.format !== FORMAT) return fail(NOT_THIS_FORMAT);
    if (value.version !== VERSION) {
      return fail(`version ${JSON.stringify(value.version)} of the format, but this reader reads version ${VERSION}`);
    }
    return undefined;
  }

  private defineGroup(value: JsonObject, fail: (problem: string) => never): undefined {
    if (value.group !== this.groups.length) {
      return fail(`defines group ${JSON.stringify(value.group)}, but the next group is ${this.groups.length}`);
    }
    const row = value.row;
    if (!Array.isArray(row) || row.length !== 6 || !row.every((field) => typeof field === 'string')) {
      return fail('"row" is not an array of six strings');
    }
    const counters = value.counters;
    if (!Array.isArray(counters)) return fail('"counters" is not an array');
    let previous = -1;
    for (const counter of counters) {
      const index = KEPT_EVSE_COUNTERS.indexOf(counter as (typeof KEPT_EVSE_COUNTERS)[number]);
      if (index <= previous) {
        return fail(`"counters" must list distinct ones of ${KEPT_EVSE_COUNTERS.join(', ')} in that order`);
      }
      previous = index;
    }
    this.groups.push(evseGroup(rowKey(row), counters as EvseGroup['counters']));
    return undefined;
  }

  private group(id: unknown, fail: (problem: string) => never): EvseGroup {
    const group = typeof id === 'number' ? this.groups[id] : undefined;
    return group ?? fail(`uses group ${JSON.stringify(id)} before it is defined`);
  }

  private checkedStats(value: unknown, fail: (problem: string) => never): ChargePointStats {
    const stats = emptyChargePointStats();
    if (!isJsonObject(value)) return fail('"stats" is not an object');
    const names = Object.keys(stats) as (keyof ChargePointStats)[];
    if (Object.keys(value).sort().join(',') !== [...names].sort().join(',')) {
      return fail(`"stats" does not hold exactly the counters ${names.join(', ')}`);
    }
    for (const name of names) {
      const count = value[name];
      if (!isCount(count)) return fail(`"stats"."${name}" is not a non-negative integer`);
      stats[name] = count;
    }
    const counted = { ...this.counted, rows: new Set(this.groups.map((group) => group.row)).size };
    for (const name of ['evsesKept', ...KEPT_EVSE_COUNTERS, 'rows'] as const) {
      if (stats[name] !== counted[name]) {
        return fail(`"stats"."${name}" is ${stats[name]}, but the lines before it give ${counted[name]}`);
      }
    }
    return stats;
  }

  private checkLength(): void {
    if (this.partBytes > MAX_LINE_BYTES) {
      this.fail(this.lastLine.number + 1, this.offset, `a line longer than ${MAX_LINE_BYTES} bytes (not this format)`);
    }
  }

  private fail(line: number, offset: number, problem: string): never {
    throw new PayloadError(`normalised data of feed ${JSON.stringify(this.feedId)}, line ${line}: ${problem}`, {
      byteOffset: offset,
    });
  }
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
