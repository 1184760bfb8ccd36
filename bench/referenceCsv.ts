import { readFileSync, writeFileSync } from 'node:fs';
import { referenceTransform } from '../src/transform/reference';

/**
 * `node --max-old-space-size=… --import tsx bench/referenceCsv.ts <payload> <csv>`:
 * the oracle's CSV for a payload JSON.parse can load, for byte-for-byte comparison;
 * prints its statistics as one JSON line.
 */
const [input, output] = process.argv.slice(2);
const { csv, stats } = referenceTransform(readFileSync(input, 'utf8'));
writeFileSync(output, csv);
console.log(JSON.stringify(stats));
