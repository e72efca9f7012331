/**
 * The Run Details and Compare Runs panels: the runs' facts, one uPlot chart per metric (all runs
 * overlaid), the params, and exports. Exact points arrive from the host in chunks and are kept
 * here; each chart draws a min/max-per-pixel-column sample of them, so 100,000 points draw as
 * fast as 2,000.
 */
import './l10nSetup';
import * as l10n from '@vscode/l10n';
import uPlot from 'uplot';
import { chartSvg } from '../core/metrics/chartSvg';
import { compareParams } from '../core/metrics/compareParams';
import { minMaxIndices } from '../core/metrics/downsample';
import { smooth } from '../core/metrics/smoothing';
import {
  fromWire, parseMetricsHostMessage, xAxisKinds,
  type MetricsHostMessage, type MetricsWebviewMessage, type RunSummary, type SavedPanel, type XAxisKind,
} from '../panels/runMetricsProtocol';
import { h, icon } from './dom';
import { connectToHost } from './host';

interface ViewState {
  xAxis: XAxisKind;
  logScale: boolean;
  /** 0 (none) to 0.99. */
  smoothing: number;
  hiddenRuns: string[];
  differencesOnly: boolean;
  /** The panel's runs and workspace, so that VS Code can bring the panel back after a window reload. */
  panel?: SavedPanel;
}

interface RunSeries {
  steps: number[];
  timestamps: number[];
  values: number[];
}

interface Chart {
  card: HTMLElement;
  plotHost: HTMLElement;
  plot?: uPlot;
  /** What the plot draws (downsampled), kept for the SVG export. */
  drawn?: { series: Array<{ label: string; color: string; xs: number[]; ys: number[] }> };
}

const host = connectToHost<ViewState, MetricsWebviewMessage, MetricsHostMessage>();
const saved = host.savedState;
const state: ViewState = {
  xAxis: saved && xAxisKinds.includes(saved.xAxis) ? saved.xAxis : 'step',
  logScale: saved?.logScale === true,
  smoothing: typeof saved?.smoothing === 'number' && saved.smoothing >= 0 && saved.smoothing < 1 ? saved.smoothing : 0,
  hiddenRuns: Array.isArray(saved?.hiddenRuns) ? saved.hiddenRuns.filter((r) => typeof r === 'string') : [],
  differencesOnly: saved?.differencesOnly === true,
  panel: saved?.panel,
};
const saveState = (): void => host.saveState({ ...state });

const root = document.getElementById('metrics-root')!;
let mode: 'details' | 'compare' = 'details';
let runs: RunSummary[] = [];
/** metric → runId → exact points, in step order. */
const data = new Map<string, Map<string, RunSeries>>();
const charts = new Map<string, Chart>();
const dirty = new Set<string>();
let frame = 0;

const chartsRegion = h('div', { class: 'charts', id: 'charts' });
const emptyRegion = h('p', { class: 'empty-state', role: 'status', hidden: true });
const noticeRegion = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
const summaryRegion = h('section', { class: 'summary', 'aria-label': l10n.t('Run') });
const paramsRegion = h('section', { class: 'params', 'aria-label': l10n.t('Params') });

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

const palette = ['--vscode-charts-blue', '--vscode-charts-red', '--vscode-charts-green', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-yellow'];
const fallbackColours = ['#3794ff', '#f14c4c', '#89d185', '#d18616', '#b180d7', '#cca700', '#4ec9b0', '#c586c0', '#9cdcfe', '#ce9178'];
function runColour(index: number): string {
  return index < palette.length ? cssVar(palette[index], fallbackColours[index]) : fallbackColours[index % fallbackColours.length];
}

function gridColour(): string {
  return cssVar('--vscode-tree-indentGuidesStroke', cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'));
}

function xLabel(): string {
  return state.xAxis === 'step' ? l10n.t('Step') : state.xAxis === 'relative' ? l10n.t('Relative time (s)') : l10n.t('Wall time');
}

// ---- layout ------------------------------------------------------------------------------

function select<T extends string>(label: string, id: string, options: Array<[T, string]>, value: T, onChange: (v: T) => void): HTMLElement {
  const element = h('select', { id });
  for (const [v, text] of options) element.append(h('option', { value: v, selected: v === value }, text));
  element.addEventListener('change', () => onChange(element.value as T));
  return h('label', { class: 'control', for: id }, h('span', {}, label), element);
}

function checkbox(label: string, id: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const input = h('input', { type: 'checkbox', id, checked });
  input.addEventListener('change', () => onChange(input.checked));
  return h('label', { class: 'control checkbox', for: id }, input, h('span', {}, label));
}

function toolButton(label: string, codicon: string, onClick: () => void, id?: string): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'tool-button', id, title: label }, icon(codicon), h('span', {}, label));
  b.addEventListener('click', onClick);
  return b;
}

function toolbar(): HTMLElement {
  const smoothingInput = h('input', { type: 'range', id: 'smoothing', min: '0', max: '0.99', step: '0.01', value: String(state.smoothing) });
  const smoothingValue = h('output', { for: 'smoothing' }, state.smoothing.toFixed(2));
  smoothingInput.addEventListener('input', () => {
    state.smoothing = Number(smoothingInput.value);
    smoothingValue.textContent = state.smoothing.toFixed(2);
    saveState();
    redrawAll();
  });
  return h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': l10n.t('Chart options') },
    select(l10n.t('X axis'), 'x-axis', [['step', l10n.t('Step')], ['relative', l10n.t('Relative time')], ['wall', l10n.t('Wall time')]], state.xAxis, (v) => {
      state.xAxis = v;
      saveState();
      rebuildAll();
    }),
    checkbox(l10n.t('Log scale'), 'log-scale', state.logScale, (v) => {
      state.logScale = v;
      saveState();
      rebuildAll();
    }),
    h('label', { class: 'control', for: 'smoothing' }, h('span', {}, l10n.t('Smoothing')), smoothingInput, smoothingValue),
    toolButton(l10n.t('Export CSV'), 'export', () => host.post({ type: 'exportCsv' }), 'export-csv'));
}

function factsTable(rows: Array<[string, string | undefined]>): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of rows) if (v) dl.append(h('dt', {}, k), h('dd', {}, v));
  return dl;
}

function keyValueTable(caption: string, values: Record<string, string>): HTMLElement | undefined {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return undefined;
  const body = h('tbody', {});
  for (const [k, v] of entries) body.append(h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)));
  return h('table', { class: 'kv' }, h('caption', {}, caption), body);
}

function renderSummary(): void {
  summaryRegion.replaceChildren();
  if (mode === 'details') {
    const run = runs[0];
    summaryRegion.append(factsTable([
      [l10n.t('Status'), run.statusText], [l10n.t('Duration'), run.duration], [l10n.t('Compute'), run.compute],
      [l10n.t('Experiment'), run.experiment], [l10n.t('Run'), run.runId],
    ]));
    if (run.problem) summaryRegion.append(h('p', { class: 'problem', role: 'alert' }, icon('error'), h('span', {}, run.problem)));
    const tags = keyValueTable(l10n.t('Tags'), run.tags);
    if (tags) summaryRegion.append(tags);
    return;
  }
  const legend = h('fieldset', { class: 'run-toggles' }, h('legend', {}, l10n.t('Runs')));
  runs.forEach((run, i) => {
    const id = `run-toggle-${i}`;
    const input = h('input', { type: 'checkbox', id, checked: !state.hiddenRuns.includes(run.runId), 'data-run': run.runId });
    input.addEventListener('change', () => {
      state.hiddenRuns = input.checked ? state.hiddenRuns.filter((r) => r !== run.runId) : [...state.hiddenRuns, run.runId];
      saveState();
      rebuildAll();
    });
    const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.setProperty('background-color', runColour(i));
    legend.append(h('label', { class: 'run-toggle', for: id }, input, swatch,
      h('span', {}, run.displayName),
      h('span', { class: 'run-status', id: `run-status-${i}` }, [run.statusText, run.duration].filter(Boolean).join(' · ')),
      run.problem ? h('span', { class: 'problem' }, run.problem) : undefined));
  });
  summaryRegion.append(legend);
}

function renderParams(): void {
  paramsRegion.replaceChildren();
  if (mode === 'details') {
    const table = keyValueTable(l10n.t('Params'), runs[0].params);
    paramsRegion.append(table ?? h('p', { class: 'muted' }, l10n.t('This run has no params.')));
    return;
  }
  const rows = compareParams(runs.map((r) => r.params));
  const heading = h('h2', {}, l10n.t('Params'));
  const toggle = checkbox(l10n.t('Differences only'), 'differences-only', state.differencesOnly, (v) => {
    state.differencesOnly = v;
    saveState();
    renderParams();
    (document.getElementById('differences-only') as HTMLInputElement | null)?.focus();
  });
  const head = h('tr', {}, h('th', { scope: 'col' }, l10n.t('Param')), ...runs.map((r) => h('th', { scope: 'col' }, r.displayName)));
  const body = h('tbody', {});
  for (const row of rows) {
    if (state.differencesOnly && !row.differs) continue;
    body.append(h('tr', { class: row.differs ? 'differs' : undefined },
      h('th', { scope: 'row' }, row.differs ? h('span', { class: 'differs-mark', title: l10n.t('Differs between runs') }, '≠ ') : undefined, row.key),
      ...row.values.map((v) => h('td', {}, v ?? '—'))));
  }
  const differing = rows.filter((r) => r.differs).length;
  paramsRegion.append(heading, toggle,
    h('p', { class: 'muted' }, l10n.t('{0} of {1} params differ.', differing, rows.length)),
    rows.length ? h('table', { class: 'compare', id: 'params-table' }, h('thead', {}, head), body) : h('p', { class: 'muted' }, l10n.t('These runs have no params.')));
}

function renderEmptyState(): void {
  const anyPoints = [...data.values()].some((byRun) => [...byRun.values()].some((s) => s.values.length > 0));
  const anyKeys = runs.some((r) => r.metricKeys.length > 0);
  const readable = runs.filter((r) => !r.problem);
  emptyRegion.hidden = anyPoints || anyKeys || readable.length === 0;
  if (emptyRegion.hidden) return;
  const running = readable.some((r) => !r.terminal);
  emptyRegion.textContent = mode === 'details'
    ? (running ? l10n.t('This run has logged no metrics yet. Charts appear here as it logs them.') : l10n.t('This run logged no metrics.'))
    : (running ? l10n.t('These runs have logged no metrics yet.') : l10n.t('These runs logged no metrics.'));
}

function renderPage(title: string): void {
  root.removeAttribute('aria-busy');
  document.title = title;
  root.replaceChildren(
    h('header', { class: 'page-header' }, h('h1', {}, icon(mode === 'details' ? 'beaker' : 'compare-changes'), h('span', {}, title))),
    summaryRegion,
    toolbar(),
    noticeRegion,
    emptyRegion,
    chartsRegion,
    paramsRegion);
  renderSummary();
  renderParams();
  renderEmptyState();
}

function renderFailure(message: string, retry: boolean): void {
  root.removeAttribute('aria-busy');
  const retryButton = retry ? toolButton(l10n.t('Retry'), 'refresh', () => {
    root.setAttribute('aria-busy', 'true');
    root.replaceChildren(h('p', { class: 'loading' }, l10n.t('Loading…')));
    host.post({ type: 'retry' });
  }, 'retry') : undefined;
  root.replaceChildren(h('div', { class: 'failure', role: 'alert' }, icon('error'), h('p', {}, message), retryButton));
  retryButton?.focus();
}

// ---- charts ------------------------------------------------------------------------------

function chartFor(metric: string): Chart {
  let chart = charts.get(metric);
  if (chart) return chart;
  const plotHost = h('div', { class: 'plot', tabindex: '0', 'aria-label': l10n.t('Chart of {0}: arrow keys move along the curve, the values show in the legend.', metric) });
  const safeId = `chart-${charts.size}`;
  const card = h('section', { class: 'chart-card', 'aria-labelledby': `${safeId}-title`, 'data-metric': metric, tabindex: '-1' },
    h('div', { class: 'chart-header' },
      h('h2', { id: `${safeId}-title` }, metric),
      h('div', { class: 'chart-actions' },
        toolButton(l10n.t('PNG'), 'file-media', () => exportPng(metric)),
        toolButton(l10n.t('SVG'), 'file-code', () => exportSvg(metric)))),
    plotHost);
  chart = { card, plotHost };
  charts.set(metric, chart);
  const keyboardChart = chart;
  plotHost.addEventListener('keydown', (event) => moveCursor(keyboardChart, event));
  // Charts in alphabetical order of metric.
  const after = [...charts.keys()].sort().indexOf(metric);
  const next = [...charts.keys()].sort()[after + 1];
  chartsRegion.insertBefore(card, next ? charts.get(next)?.card ?? null : null);
  return chart;
}

/** Arrow keys (Shift: 10 at a time), Home and End move the hover cursor, as the mouse does. */
function moveCursor(chart: Chart, event: KeyboardEvent): void {
  const plot = chart.plot;
  const xs = plot?.data[0];
  if (!plot || !xs || xs.length === 0) return;
  const last = xs.length - 1;
  const current = plot.cursor.idx ?? -1;
  const by = event.shiftKey ? 10 : 1;
  let index: number;
  if (event.key === 'ArrowRight') index = Math.min(last, current + by);
  else if (event.key === 'ArrowLeft') index = Math.max(0, (current < 0 ? last + 1 : current) - by);
  else if (event.key === 'Home') index = 0;
  else if (event.key === 'End') index = last;
  else return;
  event.preventDefault();
  plot.setCursor({ left: plot.valToPos(xs[index], 'x'), top: plot.over.clientHeight / 2 });
}

function visibleRuns(): Array<{ run: RunSummary; index: number }> {
  return runs.map((run, index) => ({ run, index })).filter(({ run }) => !state.hiddenRuns.includes(run.runId));
}

function xValues(run: RunSummary, series: RunSeries): number[] {
  if (state.xAxis === 'step') return series.steps;
  const origin = state.xAxis === 'relative' ? (run.startTime ?? series.timestamps[0] ?? 0) : 0;
  return series.timestamps.map((t) => (t - origin) / 1000);
}

function drawable(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  return state.logScale && value <= 0 ? null : value;
}

/** The downsampled, smoothed series of each visible run for one metric, aligned on one x axis. */
function prepare(metric: string, width: number): { aligned: uPlot.AlignedData; drawn: NonNullable<Chart['drawn']> } {
  const byRun = data.get(metric) ?? new Map<string, RunSeries>();
  const tables: uPlot.AlignedData[] = [];
  const drawn: NonNullable<Chart['drawn']> = { series: [] };
  for (const { run, index } of visibleRuns()) {
    const series = byRun.get(run.runId) ?? { steps: [], timestamps: [], values: [] };
    let xs = xValues(run, series);
    let ys = smooth(series.values, state.smoothing);
    if (state.xAxis !== 'step' && xs.some((x, i) => i > 0 && x < xs[i - 1])) {
      const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
      xs = order.map((i) => xs[i]);
      ys = order.map((i) => ys[i]);
    }
    const kept = minMaxIndices(xs, ys, Math.max(50, Math.floor(width)));
    const keptXs = kept.map((i) => xs[i]);
    const keptYs = kept.map((i) => ys[i]);
    drawn.series.push({ label: run.displayName, color: runColour(index), xs: keptXs, ys: keptYs });
    tables.push([keptXs, keptYs.map(drawable)] as uPlot.AlignedData);
  }
  if (tables.length === 0) return { aligned: [[]], drawn };
  const aligned = tables.length === 1 ? tables[0] : uPlot.join(tables);
  return { aligned, drawn };
}

function plotOptions(width: number): uPlot.Options {
  const foreground = cssVar('--vscode-foreground', '#888');
  const grid = gridColour();
  const axis = { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width,
    height: 260,
    scales: { x: { time: state.xAxis === 'wall' }, y: { distr: state.logScale ? 3 : 1 } },
    series: [
      { label: xLabel() },
      ...visibleRuns().map(({ run, index }) => ({
        label: run.displayName, stroke: runColour(index), width: 1.5, spanGaps: false, points: { show: false },
      })),
    ],
    axes: [{ ...axis, label: xLabel() }, axis],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
  };
}

function draw(metric: string, rebuild: boolean): void {
  const chart = chartFor(metric);
  const width = Math.max(200, chart.plotHost.clientWidth || chartsRegion.clientWidth || 600);
  const { aligned, drawn } = prepare(metric, width);
  chart.drawn = drawn;
  if (!chart.plot || rebuild) {
    chart.plot?.destroy();
    chart.plot = new uPlot(plotOptions(width), aligned, chart.plotHost);
    chart.card.classList.add('drawn');
    // Read by `npm run bench:metrics`: exact, where a test's polling for the drawn chart is not.
    performance.mark('azml-chart-drawn');
  } else {
    chart.plot.setData(aligned);
  }
}

/** Redraws at most this often while points stream in: each redraw samples the whole series again. */
const minRedrawMs = 200;
let lastDrawAt = 0;

function scheduleDraw(metric: string): void {
  dirty.add(metric);
  if (frame) return;
  frame = window.setTimeout(() => requestAnimationFrame(() => {
    frame = 0;
    lastDrawAt = performance.now();
    const metrics = [...dirty];
    dirty.clear();
    for (const m of metrics) draw(m, false);
    renderEmptyState();
  }), Math.max(0, minRedrawMs - (performance.now() - lastDrawAt)));
}

function rebuildAll(): void {
  for (const metric of charts.keys()) draw(metric, true);
}

function redrawAll(): void {
  for (const metric of charts.keys()) draw(metric, false);
}

// A theme change swaps the body's classes and the --vscode-* values: redraw in the new colours.
new MutationObserver(() => {
  rebuildAll();
  if (mode === 'compare') renderSummary();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

new ResizeObserver(() => {
  for (const chart of charts.values()) {
    const width = Math.max(200, chart.plotHost.clientWidth);
    if (chart.plot && Math.abs(chart.plot.width - width) > 1) chart.plot.setSize({ width, height: 260 });
  }
}).observe(chartsRegion);

// ---- exports -----------------------------------------------------------------------------

function exportPng(metric: string): void {
  const plot = charts.get(metric)?.plot;
  if (!plot) return;
  const source = plot.ctx.canvas;
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = cssVar('--vscode-editor-background', '#ffffff');
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0);
  host.post({ type: 'exportImage', format: 'png', metric, data: canvas.toDataURL('image/png') });
}

function exportSvg(metric: string): void {
  const chart = charts.get(metric);
  if (!chart?.plot || !chart.drawn) return;
  const x = chart.plot.scales.x;
  const y = chart.plot.scales.y;
  const svg = chartSvg({
    title: metric,
    xLabel: xLabel(),
    series: chart.drawn.series,
    xRange: [x.min ?? 0, x.max ?? 1],
    yRange: [y.min ?? 0, y.max ?? 1],
    logY: state.logScale,
    width: chart.plot.width,
    height: chart.plot.height,
    foreground: cssVar('--vscode-foreground', '#333'),
    background: cssVar('--vscode-editor-background', '#fff'),
    gridColor: gridColour(),
  });
  host.post({ type: 'exportImage', format: 'svg', metric, data: svg });
}

// ---- messages ----------------------------------------------------------------------------

function addPoints(runId: string, metric: string, steps: number[], timestamps: number[], values: number[]): void {
  let byRun = data.get(metric);
  if (!byRun) data.set(metric, (byRun = new Map()));
  let series = byRun.get(runId);
  if (!series) byRun.set(runId, (series = { steps: [], timestamps: [], values: [] }));
  for (let i = 0; i < steps.length; i++) {
    series.steps.push(steps[i]);
    series.timestamps.push(timestamps[i]);
    series.values.push(values[i]);
  }
  scheduleDraw(metric);
}

host.listen((raw) => {
  const message = parseMetricsHostMessage(raw);
  if (!message) return;
  switch (message.type) {
    case 'init':
      mode = message.mode;
      runs = message.runs;
      state.panel = { mode, runs: runs.map((r) => ({ runId: r.runId, displayName: r.displayName })), ...(message.workspace ? { workspace: message.workspace } : {}) };
      saveState();
      // A fresh init (the panel's webview was rebuilt, or a retry): the host sends every point again.
      data.clear();
      for (const chart of charts.values()) chart.plot?.destroy();
      charts.clear();
      chartsRegion.replaceChildren();
      renderPage(message.title);
      performance.mark('azml-facts-shown');
      return;
    case 'points':
      addPoints(message.runId, message.metric, message.steps, message.timestamps, message.values.map(fromWire));
      return;
    case 'runUpdate': {
      const i = runs.findIndex((r) => r.runId === message.run.runId);
      if (i < 0) return;
      runs[i] = message.run;
      // Only the words change in Compare Runs, so a focused run toggle keeps its focus.
      const status = document.getElementById(`run-status-${i}`);
      if (mode === 'compare' && status) status.textContent = [message.run.statusText, message.run.duration].filter(Boolean).join(' · ');
      else renderSummary();
      renderEmptyState();
      return;
    }
    case 'failed':
      renderFailure(message.message, message.retry);
      return;
    case 'notice':
      noticeRegion.textContent = message.message;
      return;
  }
});
host.post({ type: 'ready' });
