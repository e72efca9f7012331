import { formatTable } from './table';

export interface Column<T> {
  header: string;
  value: (item: T) => string | number | undefined;
}

/** Prints items as JSON (`--json`) or as a table. */
export function printItems<T>(items: readonly T[], columns: ReadonlyArray<Column<T>>, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return;
  }
  if (items.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  process.stdout.write(`${formatTable(columns.map((c) => c.header), items.map((item) => columns.map((c) => c.value(item))))}\n`);
}

export function formatDate(date: Date | undefined): string | undefined {
  return date ? date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : undefined;
}

export function formatDuration(start: Date | undefined, end: Date | undefined): string | undefined {
  if (!start) return undefined;
  const seconds = Math.max(0, Math.round(((end ?? new Date()).getTime() - start.getTime()) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}
