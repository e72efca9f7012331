/**
 * A metric chart as an SVG document, for Export as SVG: drawn from the same (downsampled,
 * smoothed) series and the same axis ranges as the canvas chart, since uPlot draws canvas only.
 */
export interface SvgSeries {
  label: string;
  /** A CSS colour. */
  color: string;
  xs: ArrayLike<number>;
  /** Non-finite values are gaps. */
  ys: ArrayLike<number>;
}

export interface SvgChart {
  title: string;
  xLabel: string;
  series: SvgSeries[];
  xRange: [number, number];
  yRange: [number, number];
  logY: boolean;
  width: number;
  height: number;
  foreground: string;
  background: string;
  gridColor: string;
}

/** `=` and `:` too: a label like "only=bn" or "javascript:" must not look like script to the host's check of the export. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"'=:]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function tickLabel(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e5 || abs < 1e-3 ? value.toExponential(1) : String(Number(value.toPrecision(4)));
}

/** About `count` round numbers in [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export function chartSvg(chart: SvgChart): string {
  const margin = { left: 64, right: 16, top: 32, bottom: 40 };
  const plotW = chart.width - margin.left - margin.right;
  const plotH = chart.height - margin.top - margin.bottom;
  const [x0, x1] = chart.xRange;
  const ty = (v: number): number => (chart.logY ? Math.log10(v) : v);
  const [y0, y1] = [ty(chart.yRange[0]), ty(chart.yRange[1])];
  const px = (x: number): number => margin.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const py = (y: number): number => margin.top + plotH - ((ty(y) - y0) / (y1 - y0 || 1)) * plotH;
  const parts: string[] = [];
  parts.push(`<rect width="${chart.width}" height="${chart.height}" fill="${escapeXml(chart.background)}"/>`);
  parts.push(`<text x="${margin.left}" y="20" fill="${escapeXml(chart.foreground)}" font-family="sans-serif" font-size="13" font-weight="bold">${escapeXml(chart.title)}</text>`);
  const yTicks = chart.logY
    ? niceTicks(Math.ceil(y0), Math.floor(y1), Math.max(1, Math.min(5, Math.floor(y1) - Math.ceil(y0)))).map((e) => 10 ** e)
    : niceTicks(chart.yRange[0], chart.yRange[1]);
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}" stroke="${escapeXml(chart.gridColor)}" stroke-width="1"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y}" fill="${escapeXml(chart.foreground)}" font-family="sans-serif" font-size="11" text-anchor="end" dominant-baseline="middle">${tickLabel(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    const x = px(t).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="${escapeXml(chart.gridColor)}" stroke-width="1"/>`);
    parts.push(`<text x="${x}" y="${margin.top + plotH + 16}" fill="${escapeXml(chart.foreground)}" font-family="sans-serif" font-size="11" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  parts.push(`<text x="${margin.left + plotW / 2}" y="${chart.height - 6}" fill="${escapeXml(chart.foreground)}" font-family="sans-serif" font-size="11" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  for (const s of chart.series) {
    const paths: string[] = [];
    let current = '';
    for (let i = 0; i < s.xs.length; i++) {
      const y = s.ys[i];
      if (!Number.isFinite(y) || (chart.logY && y <= 0)) {
        if (current) paths.push(current);
        current = '';
        continue;
      }
      current += `${current ? 'L' : 'M'}${px(s.xs[i]).toFixed(2)} ${py(y).toFixed(2)}`;
    }
    if (current) paths.push(current);
    parts.push(`<g><title>${escapeXml(s.label)}</title>${paths.map((d) => `<path d="${d}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="1.5"/>`).join('')}</g>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${chart.width}" height="${chart.height}" viewBox="0 0 ${chart.width} ${chart.height}">${parts.join('')}</svg>\n`;
}
