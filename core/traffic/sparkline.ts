/**
 * Text pictures of a series for terminals, Markdown and docs. Downsampling keeps the maximum of each
 * bucket, not the mean: a one-minute spike must stay visible in a 60-character line.
 */

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Maximum per bucket when the series is longer than `width`; NaN (a gap) stays NaN if a bucket is all gap. */
export function downsampleMax(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    let best = Number.NaN;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (!Number.isNaN(v) && (Number.isNaN(best) || v > best)) best = v;
    }
    out.push(best);
  }
  return out;
}

/** One line of block characters, lowest bar for zero, a space for a gap. */
export function sparkline(values: readonly number[], width = 60): string {
  if (!Number.isInteger(width) || width < 1)
    throw new RangeError(`width must be a positive integer, got ${width}`);
  const points = downsampleMax(values, width);
  const top = Math.max(0, ...points.filter((v) => !Number.isNaN(v)));
  return points
    .map((v) => {
      if (Number.isNaN(v)) return ' ';
      if (top === 0) return BLOCKS[0];
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.round((v / top) * (BLOCKS.length - 1)))];
    })
    .join('');
}

/**
 * A small bar chart: `height` rows of `#`, the top value on the left axis, the x-axis label below.
 * Plain ASCII, so it survives any terminal, log and Markdown code block.
 */
export function asciiPlot(
  values: readonly number[],
  options: { width?: number; height?: number; xLabel?: string } = {},
) {
  const width = options.width ?? 60;
  const height = options.height ?? 8;
  const points = downsampleMax(values, width);
  const top = Math.max(0, ...points.filter((v) => !Number.isNaN(v)));
  const label = formatAxis(top);
  const pad = ' '.repeat(label.length);
  const rows: string[] = [];
  for (let row = height; row >= 1; row--) {
    const threshold = (top * (row - 0.5)) / height;
    const bars = points.map((v) => (!Number.isNaN(v) && top > 0 && v >= threshold ? '#' : ' ')).join('');
    const axis = row === height ? label : row === 1 ? `${pad.slice(1)}0` : pad;
    rows.push(`${axis} |${bars}`.trimEnd());
  }
  rows.push(`${pad} +${'-'.repeat(points.length)}`);
  if (options.xLabel) rows.push(`${pad}  ${options.xLabel}`);
  return rows.join('\n');
}

function formatAxis(value: number): string {
  if (value >= 1000) return `${Math.round(value / 100) / 10}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
