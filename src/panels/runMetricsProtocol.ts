/**
 * The messages between the run metrics panels (Run Details, Compare Runs) and the extension
 * host. Plain types and checks only: no vscode and no DOM, so both sides compile this file and
 * each checks what the other sent before using it.
 *
 * The webview posts `ready`; the host answers `init` with the runs, then sends each metric's
 * exact points in `points` chunks (a page at a time, then whatever a live run logs), never a
 * point twice. Values that are not finite travel as the strings "NaN", "Infinity", "-Infinity".
 */

export const xAxisKinds = ['step', 'relative', 'wall'] as const;
export type XAxisKind = (typeof xAxisKinds)[number];

export const imageFormats = ['png', 'svg'] as const;
export type ImageFormat = (typeof imageFormats)[number];

export interface RunSummary {
  runId: string;
  displayName: string;
  /** The status in words, as the Experiments view shows it. */
  statusText: string;
  /** FINISHED, FAILED or KILLED: no more points will come. */
  terminal: boolean;
  experiment?: string;
  compute?: string;
  duration?: string;
  /** Milliseconds since the epoch: relative time counts from here. */
  startTime?: number;
  tags: Record<string, string>;
  params: Record<string, string>;
  /** The run's metric keys known so far. */
  metricKeys: string[];
  /** Why this run shows nothing (not found, a service error), when it does not. */
  problem?: string;
}

export type WireValue = number | 'NaN' | 'Infinity' | '-Infinity';

export type MetricsWebviewMessage =
  | { type: 'ready' }
  | { type: 'retry' }
  | { type: 'exportCsv' }
  /** `data`: the SVG document, or the PNG as a data: URL. */
  | { type: 'exportImage'; format: ImageFormat; metric: string; data: string };

/** Which workspace the runs are in: names only, never a credential (the webview keeps it on disk). */
export interface PanelWorkspace {
  connectionKind: 'azure' | 'local';
  tenantId?: string;
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

export type MetricsHostMessage =
  | { type: 'init'; mode: 'details' | 'compare'; title: string; runs: RunSummary[]; workspace?: PanelWorkspace }
  | { type: 'points'; runId: string; metric: string; steps: number[]; timestamps: number[]; values: WireValue[] }
  | { type: 'runUpdate'; run: RunSummary }
  /** A problem with the whole panel (nothing to show): one sentence, and whether Retry helps. */
  | { type: 'failed'; message: string; retry: boolean }
  | { type: 'notice'; message: string };

export function toWire(value: number): WireValue {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

export function fromWire(value: WireValue): number {
  return typeof value === 'number' ? value : Number(value);
}

/** The most a message may carry: a PNG of a large chart fits well below this. */
export const maxExportBytes = 16 * 1024 * 1024;
const metricKeyMax = 500;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A message from the webview, checked; undefined when malformed. */
export function parseMetricsWebviewMessage(raw: unknown): MetricsWebviewMessage | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
    case 'retry':
    case 'exportCsv':
      return { type: raw.type };
    case 'exportImage': {
      const { format, metric, data } = raw;
      if (!imageFormats.includes(format as ImageFormat) || typeof metric !== 'string' || metric.length === 0 || metric.length > metricKeyMax) return undefined;
      if (typeof data !== 'string' || data.length > maxExportBytes * 1.4) return undefined;
      if (format === 'png' && !data.startsWith('data:image/png;base64,')) return undefined;
      if (format === 'svg' && (!data.startsWith('<?xml') || /<script|\bon[a-z]+\s*=|javascript:/i.test(data))) return undefined;
      return { type: 'exportImage', format: format as ImageFormat, metric, data };
    }
    default:
      return undefined;
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isRunSummary(value: unknown): value is RunSummary {
  if (!isObject(value)) return false;
  return typeof value.runId === 'string' && typeof value.displayName === 'string' && typeof value.statusText === 'string'
    && typeof value.terminal === 'boolean' && isStringRecord(value.tags) && isStringRecord(value.params)
    && Array.isArray(value.metricKeys) && value.metricKeys.every((k) => typeof k === 'string')
    && ['experiment', 'compute', 'duration', 'problem'].every((k) => value[k] === undefined || typeof value[k] === 'string')
    && (value.startTime === undefined || typeof value.startTime === 'number');
}

const isWireValue = (v: unknown): v is WireValue => typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';

/** A message from the host, checked; undefined when malformed. */
export function parseMetricsHostMessage(raw: unknown): MetricsHostMessage | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'init':
      return (raw.mode === 'details' || raw.mode === 'compare') && typeof raw.title === 'string'
        && Array.isArray(raw.runs) && raw.runs.every(isRunSummary)
        && (raw.workspace === undefined || parsePanelWorkspace(raw.workspace) !== undefined) ? raw as MetricsHostMessage : undefined;
    case 'points': {
      const { runId, metric, steps, timestamps, values } = raw;
      if (typeof runId !== 'string' || typeof metric !== 'string' || !Array.isArray(steps) || !Array.isArray(timestamps) || !Array.isArray(values)) return undefined;
      if (steps.length !== values.length || timestamps.length !== values.length) return undefined;
      if (!steps.every((s) => typeof s === 'number') || !timestamps.every((t) => typeof t === 'number') || !values.every(isWireValue)) return undefined;
      return raw as MetricsHostMessage;
    }
    case 'runUpdate':
      return isRunSummary(raw.run) ? raw as MetricsHostMessage : undefined;
    case 'failed':
      return typeof raw.message === 'string' && typeof raw.retry === 'boolean' ? raw as MetricsHostMessage : undefined;
    case 'notice':
      return typeof raw.message === 'string' ? raw as MetricsHostMessage : undefined;
    default:
      return undefined;
  }
}

/**
 * What a panel needs to come back after a window reload: its runs and their workspace. The
 * webview keeps it with its view choices (VS Code stores that state on disk, so it holds names only).
 */
export interface SavedPanel {
  mode: 'details' | 'compare';
  runs: Array<{ runId: string; displayName?: string }>;
  workspace?: PanelWorkspace;
}

/** The most runs one panel shows (Compare Runs); Run Details shows one. */
export const maxPanelRuns = 10;
const nameMax = 255;
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= nameMax;

function parsePanelWorkspace(raw: unknown): PanelWorkspace | undefined {
  if (!isObject(raw)) return undefined;
  const { connectionKind, tenantId, subscriptionId, resourceGroup, workspaceName } = raw;
  if ((connectionKind !== 'azure' && connectionKind !== 'local') || !isName(subscriptionId) || !isName(resourceGroup) || !isName(workspaceName)) return undefined;
  if (tenantId !== undefined && !isName(tenantId)) return undefined;
  return { connectionKind, ...(tenantId ? { tenantId } : {}), subscriptionId, resourceGroup, workspaceName };
}

/** A panel's saved state as VS Code hands it back after a reload, checked; undefined when unusable. */
export function parseSavedPanel(raw: unknown): SavedPanel | undefined {
  if (!isObject(raw) || !isObject(raw.panel)) return undefined;
  const { mode, runs, workspace } = raw.panel;
  if (mode !== 'details' && mode !== 'compare') return undefined;
  if (!Array.isArray(runs) || runs.length < 1 || runs.length > (mode === 'details' ? 1 : maxPanelRuns)) return undefined;
  const parsedRuns: SavedPanel['runs'] = [];
  for (const run of runs) {
    if (!isObject(run) || !isName(run.runId) || (run.displayName !== undefined && !isName(run.displayName))) return undefined;
    parsedRuns.push({ runId: run.runId, ...(run.displayName ? { displayName: run.displayName } : {}) });
  }
  const parsedWorkspace = workspace === undefined ? undefined : parsePanelWorkspace(workspace);
  if (workspace !== undefined && !parsedWorkspace) return undefined;
  return { mode, runs: parsedRuns, ...(parsedWorkspace ? { workspace: parsedWorkspace } : {}) };
}
