import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { TransformStats } from '../src/domain/stats';
import { anchorCsvDifference } from './anchorCsv';
import { measureProcess, type ProcessMeasurement } from './measureProcess';
import { warmPageCache, type BenchPayload } from './payloads';
import { SPEEDUP_DEVICES } from './goals';
import { describe, failureReason, succeed, timed, type TimedRun } from './sizeBenchmark';

/** The tools compared side by side on a payload without edge cases; `transform` is ours. */
export const ANCHOR_TOOLS = ['transform', 'jsonParse', 'pandas', 'duckdb'] as const;
export type AnchorTool = (typeof ANCHOR_TOOLS)[number];

export const ANCHOR_TOOL_NAMES: Record<AnchorTool, string> = {
  transform: 'node dist/client.js transform',
  jsonParse: 'read + JSON.parse',
  pandas: 'original script (json.loads + pandas)',
  duckdb: 'DuckDB read_json + GROUP BY',
};

/**
 * Rounds of the comparison at a size: all of them up to the size of the speed goals,
 * one above it, where the points only place the tools in the chart and pandas alone takes minutes.
 */
export function anchorRounds(devices: number, runs: number): number {
  return devices <= SPEEDUP_DEVICES ? runs : 1;
}

/** A tool's runs, or why there are none: it failed to load the payload, or was not run at this size. */
export type ToolResult = { runs: TimedRun[] } | { cannotLoad: string } | { notRun: string };

export interface AnchorSizeResult {
  devices: number;
  /** Of the payload without edge cases, which differs in size from the one with them. */
  bytes: number;
  rows: number;
  rounds: number;
  tools: Record<AnchorTool, ToolResult>;
}

export interface AnchorSettings {
  /** Interpreter of bench/.venv, with pandas and DuckDB. */
  python: string;
  rounds: number;
  /** pandas and DuckDB are not run above this many devices (they hold the whole document, several times over). */
  maxDevices: number;
}

/**
 * Our CLI transform, read + JSON.parse, the original script's processing (pandas)
 * and DuckDB on one payload without edge cases, `rounds` rounds, rotating which
 * goes first. Every CSV written is checked against the expected one (throws on a
 * difference); a tool that fails to load the payload is recorded as such and not run again.
 */
export async function benchmarkAnchors(
  payload: BenchPayload,
  settings: AnchorSettings,
  outputDir: string,
  log: (line: string) => void,
): Promise<AnchorSizeResult> {
  const { devices, edgeRate } = payload.summary.options;
  if (edgeRate !== 0) throw new Error(`the anchors need a payload without edge cases, got edge rate ${edgeRate}`);
  const expectedCsv = await readFile(payload.expectedCsvPath, 'utf8');
  const expectedStats = payload.summary.expected.stats;
  const output = join(outputDir, `anchor-${devices}.csv`);
  const tooLarge = { notRun: `above --anchor-max-devices ${settings.maxDevices}` };
  const result: AnchorSizeResult = {
    devices,
    bytes: payload.summary.bytes,
    rows: expectedStats.rows,
    rounds: settings.rounds,
    tools: {
      transform: { runs: [] },
      jsonParse: { runs: [] },
      pandas: devices <= settings.maxDevices ? { runs: [] } : tooLarge,
      duckdb: devices <= settings.maxDevices ? { runs: [] } : tooLarge,
    },
  };
  await warmPageCache(payload.path);

  const checkCsv = async (tool: AnchorTool): Promise<void> => {
    const difference = anchorCsvDifference(await readFile(output, 'utf8'), expectedCsv);
    if (difference !== undefined)
      throw new Error(
        `${ANCHOR_TOOL_NAMES[tool]} at ${devices} devices (no edge cases) wrote a CSV unlike the expected ${payload.expectedCsvPath}: ${difference}`,
      );
  };
  const measure = async (tool: AnchorTool): Promise<ProcessMeasurement> => {
    switch (tool) {
      case 'transform': {
        const args = ['dist/client.js', 'transform', '--input', payload.path, '--output', output, '--json'];
        const run = await succeed('transform (CLI), no edge cases', measureProcess('node', args));
        const stats = JSON.parse(run.stdout) as TransformStats;
        if (!isDeepStrictEqual(stats, expectedStats))
          throw new Error(`the CLI transform at ${devices} devices (no edge cases) reported ${run.stdout.trim()}`);
        await checkCsv(tool);
        return run;
      }
      case 'jsonParse': {
        const run = await measureProcess('node', ['bench/jsonParseBaseline.cjs', payload.path]);
        return run.ok && run.stdout.trim() !== String(devices) ? { ...run, ok: false } : run;
      }
      case 'pandas':
      case 'duckdb': {
        const script = tool === 'pandas' ? 'bench/anchors/original_pandas.py' : 'bench/anchors/duckdb_read_json.py';
        const run = await measureProcess(settings.python, [script, payload.path, output]);
        if (run.ok) await checkCsv(tool);
        return run;
      }
    }
  };

  for (let round = 0; round < settings.rounds; round++) {
    const first = round % ANCHOR_TOOLS.length;
    const order = [...ANCHOR_TOOLS.slice(first), ...ANCHOR_TOOLS.slice(0, first)];
    for (const tool of order) {
      const toolResult = result.tools[tool];
      if (!('runs' in toolResult)) continue;
      const run = await measure(tool);
      await rm(output, { force: true });
      if (!run.ok) {
        result.tools[tool] = { cannotLoad: failureReason(run) };
        log(`  ${devices} devices, no edge cases: ${ANCHOR_TOOL_NAMES[tool]} cannot load it: ${failureReason(run)}`);
        continue;
      }
      toolResult.runs.push(timed(run));
      log(`  ${devices} devices, no edge cases, round ${round + 1}: ${ANCHOR_TOOL_NAMES[tool]} ${describe(run)}`);
    }
  }
  return result;
}
