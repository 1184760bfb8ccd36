/**
 * Whether an anchor's CSV says what the expected CSV says, on a payload without
 * edge cases, where the original script's semantics and the contract agree: same
 * header, rows, order, quoting and counts. Line endings are the one difference
 * allowed (pandas writes the platform's). Returns undefined when they agree, else
 * where they first differ: an anchor that computes something else must not be timed.
 */
export function anchorCsvDifference(actual: string, expected: string): string | undefined {
  const actualLines = actual.replaceAll('\r\n', '\n').split('\n');
  const expectedLines = expected.split('\n');
  const length = Math.max(actualLines.length, expectedLines.length);
  const line = Array.from({ length }, (_, k) => k).find((k) => actualLines[k] !== expectedLines[k]);
  if (line === undefined) return undefined;
  // The empty string after the final LF, or past the last line: the end of the file.
  const quote = (lines: readonly string[]): string =>
    line >= lines.length - 1 && !lines[line] ? 'the end' : JSON.stringify(lines[line]);
  return (
    `${dataRows(actualLines)} rows against ${dataRows(expectedLines)} expected; ` +
    `first difference on line ${line + 1}: ${quote(actualLines)}, expected ${quote(expectedLines)}`
  );
}

/** Lines of a CSV split on LF, less the header and the empty string after the final LF. */
function dataRows(lines: readonly string[]): number {
  return lines.filter(Boolean).length - 1;
}
