import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { makeDirectory, syncDirectory } from '../../durability';
import { StateWriteError } from '../store/jsonFileWriter';

/** One logged metric value; `value` may be NaN or ±Infinity. */
export interface StoredMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

/** What one request adds to a run: written as one line, so it is all there or not at all. */
export interface TrackingEntry {
  metrics?: StoredMetric[];
  params?: KeyValue[];
  tags?: KeyValue[];
}

/** What a run has logged, as read back. */
export class RunTracking {
  /** Per metric key, the points in the order they were logged. */
  readonly metrics = new Map<string, StoredMetric[]>();
  readonly params = new Map<string, string>();
  readonly tags = new Map<string, string>();
  private readonly sorted = new Set<string>();
  /** Each metric's latest point, kept as points arrive: `runs/get` then needs no sort of a long history. */
  private readonly latestPoints = new Map<string, StoredMetric>();

  apply(entry: TrackingEntry): void {
    for (const m of entry.metrics ?? []) {
      const points = this.metrics.get(m.key);
      if (points) points.push(m);
      else this.metrics.set(m.key, [m]);
      this.sorted.delete(m.key);
      const latest = this.latestPoints.get(m.key);
      // Ties go to the point logged last, as in the stable sort of history().
      if (!latest || m.step > latest.step || (m.step === latest.step && m.timestamp >= latest.timestamp)) this.latestPoints.set(m.key, m);
    }
    for (const p of entry.params ?? []) this.params.set(p.key, p.value);
    for (const t of entry.tags ?? []) this.tags.set(t.key, t.value);
  }

  /** A metric's points in step order, then time order; points logged alike keep their order. */
  history(key: string): readonly StoredMetric[] {
    const points = this.metrics.get(key) ?? [];
    if (!this.sorted.has(key)) {
      points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
      this.sorted.add(key);
    }
    return points;
  }

  /** The point MLflow reports as a metric's latest: highest step, then latest timestamp. */
  latest(key: string): StoredMetric | undefined {
    return this.latestPoints.get(key);
  }
}

/** Non-finite numbers as MLflow writes them, so a line stays plain JSON. */
function encodeNumber(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

function decodeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : NaN;
}

type Line = { m?: Array<[string, number | string, number, number]>; p?: Array<[string, string]>; t?: Array<[string, string]> };

function toLine(entry: TrackingEntry): string {
  const line: Line = {};
  if (entry.metrics?.length) line.m = entry.metrics.map((m) => [m.key, encodeNumber(m.value), m.timestamp, m.step]);
  if (entry.params?.length) line.p = entry.params.map((p) => [p.key, p.value]);
  if (entry.tags?.length) line.t = entry.tags.map((t) => [t.key, t.value]);
  return `${JSON.stringify(line)}\n`;
}

function fromLine(text: string): TrackingEntry {
  const line = JSON.parse(text) as Line;
  return {
    metrics: (line.m ?? []).map(([key, value, timestamp, step]) => ({ key, value: decodeNumber(value), timestamp, step })),
    params: (line.p ?? []).map(([key, value]) => ({ key, value })),
    tags: (line.t ?? []).map(([key, value]) => ({ key, value })),
  };
}

/**
 * The metrics, params and tags runs log, one append-only file per run under
 * `<workspace dir>/mlflow/`: each change is one line, appended and fsynced before it is answered.
 * Files are named by the run's uuid, so a deleted job's metrics never show on a new job of the
 * same name. A line cut short by a crash is dropped when the file is next read.
 */
export class TrackingLog {
  private readonly runs = new Map<string, Promise<RunTracking>>();

  private fileOf(workspaceDir: string, runUuid: string): string {
    return path.join(workspaceDir, 'mlflow', `${createHash('sha256').update(runUuid).digest('hex').slice(0, 40)}.jsonl`);
  }

  /** What the run has logged (read from disk once, then kept). */
  read(workspaceDir: string, runUuid: string): Promise<RunTracking> {
    const file = this.fileOf(workspaceDir, runUuid);
    let run = this.runs.get(file);
    if (!run) {
      run = this.load(file);
      this.runs.set(file, run);
      run.catch(() => this.runs.delete(file));
    }
    return run;
  }

  private async load(file: string): Promise<RunTracking> {
    const run = new RunTracking();
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      // No file yet (or not even its folder): nothing logged.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return run;
      throw error;
    }
    const complete = text.lastIndexOf('\n') + 1;
    if (complete < text.length) await fs.truncate(file, Buffer.byteLength(text.slice(0, complete)));
    for (const line of text.slice(0, complete).split('\n')) if (line) run.apply(fromLine(line));
    return run;
  }

  /**
   * Appends one entry durably, then shows it to readers. Callers validate it first. A failed
   * write is cut back off the file and rejects with a StateWriteError (the API answers 500).
   */
  async append(workspaceDir: string, runUuid: string, entry: TrackingEntry): Promise<void> {
    const run = await this.read(workspaceDir, runUuid);
    const file = this.fileOf(workspaceDir, runUuid);
    const dir = path.dirname(file);
    let sizeBefore = 0;
    try {
      try {
        sizeBefore = (await fs.stat(file)).size;
      } catch {
        // The file's folder may be new too: makeDirectory syncs its name in its parent.
        await makeDirectory(dir);
      }
      const handle = await fs.open(file, 'a', 0o600);
      try {
        await handle.appendFile(toLine(entry));
        await handle.sync();
      } catch (error) {
        await handle.truncate(sizeBefore).catch(() => undefined);
        throw error;
      } finally {
        await handle.close();
      }
      if (sizeBefore === 0) await syncDirectory(dir);
    } catch (error) {
      throw new StateWriteError(file, error as Error);
    }
    run.apply(entry);
  }

  /** Forgets a deleted run's file. */
  async remove(workspaceDir: string, runUuid: string): Promise<void> {
    const file = this.fileOf(workspaceDir, runUuid);
    this.runs.delete(file);
    await fs.rm(file, { force: true });
  }
}
