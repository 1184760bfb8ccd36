import { ANCHOR_TOOL_NAMES, ANCHOR_TOOLS, type AnchorSizeResult } from './anchorBenchmark';
import type { BenchResults, EndToEndResult } from './benchResults';
import type { OpenDataSizeResult } from './benchResults';
import {
  bestOpenDataSeconds,
  bestSeconds,
  SPEEDUP_DEVICES,
  marginalCosts,
  median,
  medianCpuSeconds,
  medianSeconds,
  medianTransformSeconds,
  openDataScaling,
  peakRss,
  workerPeakRss,
} from './goals';
import { fixed, markdownTable } from './table';

/** The tables and goals of a benchmark run, as printed and pasted into BENCHMARKS.md. */
export function formatReport(results: BenchResults): string {
  const runs = results.options.runs;
  const comparison = results.sizes.map((size) => {
    const seconds = medianSeconds(size.cli);
    const mb = size.bytes / 1e6;
    const baselineRuns = 'runs' in size.baseline ? size.baseline.runs : undefined;
    return [
      String(size.devices),
      fixed(mb, 0),
      fixed(seconds, 2),
      fixed(bestSeconds(size.cli), 2),
      fixed(medianCpuSeconds(size.cli), 2),
      fixed(mb / seconds, 0),
      fixed(size.devices / seconds, 0),
      fixed(peakRss(size.cli), 0),
      baselineRuns ? fixed(medianSeconds(baselineRuns), 2) : 'cannot load',
      baselineRuns ? fixed(medianCpuSeconds(baselineRuns), 2) : '–',
      baselineRuns ? fixed(peakRss(baselineRuns), 0) : '–',
      baselineRuns ? `${fixed(medianSeconds(baselineRuns) / seconds, 2)}×` : '–',
      String(size.rows),
      size.verifiedAgainst.referenceTransform === true ? 'spec + reference' : 'spec',
    ];
  });
  const marginal = marginalCosts(results.sizes);
  const scaling = results.sizes.map((size) => {
    const transformSeconds = medianTransformSeconds(size.inProcess);
    const steady = median(size.inProcess.flatMap((run) => run.steadySecondsPerDevice ?? []));
    const step = marginal.find((cost) => cost.toDevices === size.devices);
    return [
      String(size.devices),
      fixed(transformSeconds, 2),
      fixed(medianSeconds(size.inProcess), 2),
      fixed(peakRss(size.inProcess), 0),
      fixed(size.bytes / 1e6 / transformSeconds, 0),
      fixed((transformSeconds / size.devices) * 1e6, 1),
      fixed(steady * 1e6, 1),
      step ? fixed(step.secondsPerDevice * 1e6, 1) : '–',
      step ? `${step.deviation >= 0 ? '+' : ''}${fixed(step.deviation * 100, 0)}%` : '–',
    ];
  });
  const lines = [
    `${results.date}, ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGb} GB, Node ${results.machine.node}; ` +
      `load average ${results.loadAverage.start.map((load) => load.toFixed(1)).join(' ')} at start, ${results.loadAverage.end.map((load) => load.toFixed(1)).join(' ')} at end`,
  ];
  if (results.startup) {
    const { input, cli, inProcess, node, withExtraCaCerts } = results.startup;
    lines.push(
      `start-up (transform of ${input}, median of ${cli.length}, peak RSS the worst run): CLI ${fixed(medianSeconds(cli), 2)} s ` +
        `(best ${fixed(bestSeconds(cli), 2)} s) and ${fixed(peakRss(cli), 0)} MB; in-process runner ${fixed(medianSeconds(inProcess), 2)} s and ${fixed(peakRss(inProcess), 0)} MB; ` +
        `\`node -e 0\` ${fixed(medianSeconds(node), 2)} s and ${fixed(peakRss(node), 0)} MB` +
        (withExtraCaCerts === undefined
          ? ''
          : `; with the environment's NODE_EXTRA_CA_CERTS (Node 20 parses it at every start): CLI ${fixed(medianSeconds(withExtraCaCerts.cli), 2)} s ` +
            `and ${fixed(peakRss(withExtraCaCerts.cli), 0)} MB, \`node -e 0\` ${fixed(medianSeconds(withExtraCaCerts.node), 2)} s and ${fixed(peakRss(withExtraCaCerts.node), 0)} MB`),
    );
  }
  if (results.sizes.length > 0) {
    lines.push(
      '',
      `transform (\`node dist/client.js transform\`) against read + JSON.parse on payloads with edge cases (rate ${results.options.edgeRate}), whole process: wall and CPU time the median of ${plural(runs, 'run')} (best: the fastest), peak RSS the worst run:`,
      '',
      markdownTable(
        [
          'devices',
          'MB',
          'transform s',
          'best s',
          'CPU s',
          'MB/s',
          'devices/s',
          'peak RSS MB',
          'JSON.parse s',
          'CPU s',
          'peak RSS MB',
          'speed-up',
          'rows',
          'output verified against',
        ],
        comparison,
      ),
      '',
      'the same code path without the CLI start-up (bench/transformRunner.cjs), for scaling: time inside the process (median); per device overall,',
      'after the first 8 MiB (V8 warmed up), and marginal (the added time over the added devices since the previous size):',
      '',
      markdownTable(
        [
          'devices',
          'transform s',
          'process s',
          'peak RSS MB',
          'MB/s',
          'µs/device',
          'after 8 MiB',
          'marginal µs/device',
          'vs median',
        ],
        scaling,
      ),
    );
  }
  if (results.anchors.length > 0) lines.push('', ...anchorTable(results.anchors, runs));
  if (results.endToEnd) {
    const e2e = results.endToEnd;
    const arm = (name: string, runs: EndToEndResult['workflow']): string[] => {
      const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      const stages = fastest.stagesMs;
      return [
        name,
        fixed(fastest.seconds, 2),
        runs.map((run) => run.seconds.toFixed(2)).join(', '),
        String(stages.checkStatus),
        String(stages.fetchData),
        String(stages.transform),
        String(stages.upload),
      ];
    };
    lines.push(
      '',
      `end to end, ${e2e.devices} devices, local HTTP source → MinIO:`,
      '',
      markdownTable(
        ['', 'best s', 'runs s', 'checkStatus ms', 'fetchData ms', 'transform ms', 'upload ms'],
        [arm('chargerEtl (worker)', e2e.workflow), arm('activities called directly', e2e.direct)],
      ),
    );
  }
  if (results.openData) lines.push('', ...openDataTables(results.openData, results.options.openDataRuns));
  lines.push(
    '',
    'goals:',
    ...results.goals.map((goal) => `  ${goal.met ? 'MET    ' : 'NOT MET'} ${goal.goal}: ${goal.detail}`),
  );
  return lines.join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The anchors side by side, one row per size and tool, how many times ours is faster, and why a tool has no time. */
function anchorTable(anchors: readonly AnchorSizeResult[], runs: number): string[] {
  const reasons: string[] = [];
  const rows = anchors.flatMap((size) => {
    const ours = size.tools.transform;
    const oursSeconds = 'runs' in ours ? medianSeconds(ours.runs) : undefined;
    return ANCHOR_TOOLS.map((tool) => {
      const result = size.tools[tool];
      const measured = 'runs' in result && result.runs.length > 0 ? result.runs : undefined;
      const seconds = measured && medianSeconds(measured);
      const missing = 'cannotLoad' in result ? 'cannot load' : 'not run';
      if (!measured)
        reasons.push(
          `${size.devices} devices, ${ANCHOR_TOOL_NAMES[tool]}: ${missing}: ${'cannotLoad' in result ? result.cannotLoad : 'notRun' in result ? result.notRun : 'no round'}`,
        );
      return [
        String(size.devices),
        fixed(size.bytes / 1e6, 0),
        ANCHOR_TOOL_NAMES[tool],
        measured ? fixed(seconds, 2) : missing,
        measured ? String(measured.length) : '–',
        measured ? fixed(medianCpuSeconds(measured), 2) : '–',
        measured ? fixed(peakRss(measured), 0) : '–',
        tool === 'transform' || seconds === undefined || oursSeconds === undefined
          ? '–'
          : `${fixed(seconds / oursSeconds, 2)}×`,
      ];
    });
  });
  return [
    `the anchors, side by side on payloads without edge cases (each CSV checked against the expected one): whole process, wall and CPU time the median of the runs counted, peak RSS the worst run; ${plural(runs, 'run')} up to ${SPEEDUP_DEVICES} devices, one above:`,
    '',
    markdownTable(['devices', 'MB', 'tool', 'wall s', 'runs', 'CPU s', 'peak RSS MB', 'its time / ours'], rows),
    ...(reasons.length > 0 ? ['', ...reasons] : []),
  ];
}

/** The open-data pipeline: per size, the best run's time, the worker's peak RSS and CPU, the stages, the slowest feeds. */
function openDataTables(sizes: readonly OpenDataSizeResult[], runs: number): string[] {
  const sorted = [...sizes].sort((a, b) => a.evses - b.evses);
  const steps = openDataScaling(sorted);
  const rows = sorted.map((size) => {
    const fastest = size.runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const step = steps.find((candidate) => candidate.to === size.evses);
    return [
      String(size.evses),
      String(size.locations),
      String(size.pages),
      fixed(size.bytes / 1e6, 0),
      fixed(bestOpenDataSeconds(size), 1),
      size.runs.map((run) => run.seconds.toFixed(1)).join(', '),
      fixed(fastest.workerCpuSeconds, 1),
      fixed(workerPeakRss(size), 0),
      `${fixed(fastest.workerIdleRssMb, 0)} / ${fixed(fastest.workerWarmRssMb, 0)}`,
      fixed(fastest.sampledPeakAtSeconds, 1),
      fixed(fastest.durationsMs.feedsMs / 1000, 1),
      fixed(fastest.durationsMs.mergeMs / 1000, 1),
      fixed(fastest.durationsMs.uploadMs / 1000, 1),
      String(size.evsesKept),
      String(size.rows),
      step ? `${fixed(step.timeRatio, 2)}× / ${fixed(step.sizeRatio, 0)}× = ${fixed(step.ratio, 2)}` : '–',
    ];
  });
  const slowest = sorted.map((size) => {
    const fastest = size.runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    return [
      String(size.evses),
      fastest.slowestFeeds
        .map((feed) => `${feed.id} (${feed.pages} pages) ${fixed(feed.durationMs / 1000, 1)} s`)
        .join(', '),
      fixed(size.offlineSeconds, 1),
    ];
  });
  return [
    `open data: chargePointsEtl over 60 local feeds, one worker process, file destination; best of ${runs}, worker peak RSS the worst run's:`,
    '',
    markdownTable(
      [
        'EVSEs',
        'Locations',
        'pages',
        'MB',
        'best s',
        'runs s',
        'worker CPU s',
        'worker peak RSS MB',
        'idle / warm RSS MB',
        'peak at s',
        'feeds s',
        'merge s',
        'upload s',
        'evsesKept',
        'rows',
        'time / size vs previous',
      ],
      rows,
    ),
    '',
    markdownTable(['EVSEs', 'slowest feeds (fetch + normalise)', 'offline transform s'], slowest),
  ];
}
