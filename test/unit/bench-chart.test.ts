import { describe, expect, it } from 'vitest';
import { anchorChartSeries, renderChart } from '../../bench/chart';
import { anchorResult, runs } from './bench-helpers';

const anchors = [
  anchorResult(100_000, {
    transform: { runs: runs([1.3, 1.2, 1.4], 150) },
    jsonParse: { runs: runs([1.9], 900) },
    pandas: { runs: runs([4.1], 1000) },
    duckdb: { runs: runs([11.7], 1500) },
  }),
  anchorResult(10_000, {
    transform: { runs: runs([0.5], 140) },
    jsonParse: { runs: runs([0.3], 120) },
    pandas: { runs: runs([1.1], 200) },
    duckdb: { cannotLoad: 'Out of Memory Error' },
  }),
  anchorResult(400_000, {
    transform: { runs: runs([4], 160) },
    jsonParse: { cannotLoad: 'Cannot create a string longer than 0x1fffffe8 characters' },
  }),
];

describe('bench chart', () => {
  it('gives each tool its median time and worst peak RSS at the sizes it loaded, smallest first', () => {
    const series = anchorChartSeries(anchors);
    expect(series.map((one) => one.name)).toEqual([
      'node dist/client.js transform',
      'read + JSON.parse',
      'original script (json.loads + pandas)',
      'DuckDB read_json + GROUP BY',
    ]);
    expect(series[0].points).toEqual([
      { megabytes: 25, seconds: 0.5, peakRssMb: 140 },
      { megabytes: 250, seconds: 1.3, peakRssMb: 150 },
      { megabytes: 1000, seconds: 4, peakRssMb: 160 },
    ]);
    expect(series[1].points.map((point) => point.megabytes)).toEqual([25, 250]);
    expect(series[3].points.map((point) => point.megabytes)).toEqual([250]);
  });

  it('draws both panels with a point per measurement, a line per tool and a legend naming every tool', () => {
    const svg = renderChart('title', 'subtitle', anchorChartSeries(anchors));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // 3 + 2 + 2 + 1 points, in each of the two panels.
    expect(svg.match(/<g><title>/g)).toHaveLength(16);
    expect(svg).toContain('<title>node dist/client.js transform: 1000 MB payload, 4.00 s</title>');
    expect(svg).toContain('<title>DuckDB read_json + GROUP BY: 250 MB payload, 1500 MB</title>');
    // Lines need two points: ours, JSON.parse and pandas in each panel, DuckDB (one point) none.
    expect(svg.match(/<polyline /g)).toHaveLength(6);
    for (const name of ['node dist/client.js transform', 'read + JSON.parse', 'original script (json.loads + pandas)'])
      expect(svg).toContain(`>${name}</text>`);
    expect(svg).toContain('payload size (MB)');
    expect(svg).toContain('peak RSS (MB, worst run)');
  });

  it('is deterministic, escapes text, and says when a tool loaded no size', () => {
    const series = [
      { name: 'a & <b>', points: [{ megabytes: 10, seconds: 1, peakRssMb: 100 }] },
      { name: 'nothing', points: [] },
    ];
    const svg = renderChart('t', 's', series);
    expect(renderChart('t', 's', series)).toBe(svg);
    expect(svg).toContain('a &amp; &lt;b&gt;');
    expect(svg).toContain('nothing (no size loaded)');
  });
});
