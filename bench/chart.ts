import { ANCHOR_TOOL_NAMES, ANCHOR_TOOLS, type AnchorSizeResult } from './anchorBenchmark';
import { medianSeconds, peakRss } from './goals';

export interface ChartPoint {
  megabytes: number;
  seconds: number;
  peakRssMb: number;
}

/** One tool's measurements against payload size: a line of points in each panel. */
export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

/** Each tool's median wall time and worst peak RSS at the sizes it could load (no point where it could not). */
export function anchorChartSeries(anchors: readonly AnchorSizeResult[]): ChartSeries[] {
  return ANCHOR_TOOLS.map((tool) => ({
    name: ANCHOR_TOOL_NAMES[tool],
    points: [...anchors]
      .sort((a, b) => a.bytes - b.bytes)
      .flatMap((size) => {
        const result = size.tools[tool];
        return 'runs' in result && result.runs.length > 0
          ? [{ megabytes: size.bytes / 1e6, seconds: medianSeconds(result.runs), peakRssMb: peakRss(result.runs) }]
          : [];
      }),
  }));
}

const WIDTH = 1000;
const HEIGHT = 600;
const PANEL = { top: 95, height: 370, width: 390, lefts: [80, 570] };
/** Colour and marker per series, in order: distinguishable in grey print and by colour-blind readers too. */
const STYLES = [
  { colour: '#c0392b', marker: 'circle' },
  { colour: '#555555', marker: 'square' },
  { colour: '#2471a3', marker: 'triangle' },
  { colour: '#d68910', marker: 'diamond' },
] as const;

/**
 * An SVG of two log-log panels, wall time and peak RSS against payload size, one
 * line per series, with a legend. Deterministic: the same series give the same text.
 */
export function renderChart(title: string, subtitle: string, series: readonly ChartSeries[]): string {
  if (series.length > STYLES.length) throw new Error(`the chart has styles for ${STYLES.length} series`);
  const points = series.flatMap((line) => line.points);
  const x = logScale(
    points.map((point) => point.megabytes),
    [PANEL.lefts[0], PANEL.lefts[0] + PANEL.width],
  );
  const panels = [
    { title: 'wall time, whole process (s, median)', unit: 's', digits: 2, value: (p: ChartPoint) => p.seconds },
    { title: 'peak RSS (MB, worst run)', unit: 'MB', digits: 0, value: (p: ChartPoint) => p.peakRssMb },
  ];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(WIDTH / 2, 28, title, { size: 18, anchor: 'middle', weight: 'bold' }),
    text(WIDTH / 2, 50, subtitle, { size: 13, anchor: 'middle', colour: '#444444' }),
  ];
  panels.forEach((panel, index) => {
    const left = PANEL.lefts[index];
    const xAt = (megabytes: number): number => x.at(megabytes) - PANEL.lefts[0] + left;
    const y = logScale(points.map(panel.value), [PANEL.top + PANEL.height, PANEL.top]);
    const bottom = PANEL.top + PANEL.height;
    parts.push(`<g>`, text(left + PANEL.width / 2, PANEL.top - 8, panel.title, { size: 14, anchor: 'middle' }));
    for (const tick of y.ticks) {
      const at = y.at(tick.value);
      parts.push(line(left, at, left + PANEL.width, at, tick.major ? '#cccccc' : '#eeeeee'));
      parts.push(text(left - 6, at + 4, formatNumber(tick.value), { size: 11, anchor: 'end', colour: '#444444' }));
    }
    for (const tick of x.ticks) {
      const at = xAt(tick.value);
      parts.push(line(at, PANEL.top, at, bottom, tick.major ? '#cccccc' : '#eeeeee'));
      parts.push(text(at, bottom + 16, formatNumber(tick.value), { size: 11, anchor: 'middle', colour: '#444444' }));
    }
    parts.push(
      `<rect x="${left}" y="${PANEL.top}" width="${PANEL.width}" height="${PANEL.height}" fill="none" stroke="#888888"/>`,
      text(left + PANEL.width / 2, bottom + 36, 'payload size (MB)', { size: 13, anchor: 'middle' }),
    );
    // The first series (ours) is drawn last, on top.
    [...series.entries()].reverse().forEach(([k, one]) => {
      const style = STYLES[k];
      const coordinates = one.points.map((point) => [xAt(point.megabytes), y.at(panel.value(point))] as const);
      if (coordinates.length > 1)
        parts.push(
          `<polyline points="${coordinates.map(([cx, cy]) => `${round(cx)},${round(cy)}`).join(' ')}" fill="none" stroke="${style.colour}" stroke-width="2"/>`,
        );
      one.points.forEach((point, p) => {
        const tooltip = `${one.name}: ${point.megabytes.toFixed(0)} MB payload, ${panel.value(point).toFixed(panel.digits)} ${panel.unit}`;
        parts.push(
          `<g><title>${escape(tooltip)}</title>${marker(style.marker, coordinates[p][0], coordinates[p][1], style.colour)}</g>`,
        );
      });
    });
    parts.push(`</g>`);
  });
  const legendY = HEIGHT - 50;
  series.forEach((one, k) => {
    const style = STYLES[k];
    const column = k % 2;
    const row = Math.floor(k / 2);
    const left = 150 + column * 420;
    const top = legendY + row * 24;
    parts.push(
      line(left, top, left + 30, top, style.colour, 2),
      marker(style.marker, left + 15, top, style.colour),
      text(left + 40, top + 5, one.points.length > 0 ? one.name : `${one.name} (no size loaded)`, { size: 13 }),
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

interface Tick {
  value: number;
  /** A power of ten: a darker grid line. */
  major: boolean;
}

/** How far the axes reach beyond the smallest and largest value, in decades: no point sits on the frame. */
const MARGIN_DECADES = 0.15;

/** A log10 scale covering `values` onto the pixel range `[from, to]`, with ticks at 1, 2 and 5 times powers of ten. */
function logScale(
  values: readonly number[],
  [from, to]: [number, number],
): { at: (value: number) => number; ticks: Tick[] } {
  const logs = values.filter((value) => value > 0).map(Math.log10);
  const [smallest, largest] = logs.length > 0 ? [Math.min(...logs), Math.max(...logs)] : [0, 1];
  const margin = Math.max(MARGIN_DECADES, (1 - (largest - smallest)) / 2);
  const [low, high] = [smallest - margin, largest + margin];
  const at = (value: number): number => from + ((Math.log10(value) - low) / (high - low)) * (to - from);
  const ticks: Tick[] = [];
  for (let decade = Math.floor(low); decade <= Math.ceil(high); decade++) {
    for (const step of [1, 2, 5]) {
      const value = Number((step * 10 ** decade).toPrecision(1));
      if (Math.log10(value) >= low && Math.log10(value) <= high) ticks.push({ value, major: step === 1 });
    }
  }
  return { at, ticks };
}

function formatNumber(value: number): string {
  return value >= 1 ? String(value) : value.toPrecision(1);
}

function round(value: number): string {
  return value.toFixed(1);
}

function line(x1: number, y1: number, x2: number, y2: number, colour: string, width = 1): string {
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${colour}" stroke-width="${width}"/>`;
}

function marker(shape: (typeof STYLES)[number]['marker'], cx: number, cy: number, colour: string): string {
  const r = 5;
  const paint = `fill="${colour}" stroke="#ffffff" stroke-width="1"`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${round(cx)}" cy="${round(cy)}" r="${r}" ${paint}/>`;
    case 'square':
      return `<rect x="${round(cx - r)}" y="${round(cy - r)}" width="${2 * r}" height="${2 * r}" ${paint}/>`;
    case 'triangle':
      return `<polygon points="${round(cx)},${round(cy - r - 1)} ${round(cx + r + 1)},${round(cy + r)} ${round(cx - r - 1)},${round(cy + r)}" ${paint}/>`;
    case 'diamond':
      return `<polygon points="${round(cx)},${round(cy - r - 1)} ${round(cx + r + 1)},${round(cy)} ${round(cx)},${round(cy + r + 1)} ${round(cx - r - 1)},${round(cy)}" ${paint}/>`;
  }
}

function text(
  x: number,
  y: number,
  content: string,
  style: { size: number; anchor?: 'start' | 'middle' | 'end'; weight?: 'bold'; colour?: string },
): string {
  const attributes = [
    `x="${round(x)}"`,
    `y="${round(y)}"`,
    `font-size="${style.size}"`,
    ...(style.anchor ? [`text-anchor="${style.anchor}"`] : []),
    ...(style.weight ? [`font-weight="${style.weight}"`] : []),
    `fill="${style.colour ?? '#000000'}"`,
  ];
  return `<text ${attributes.join(' ')}>${escape(content)}</text>`;
}

function escape(content: string): string {
  return content.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
