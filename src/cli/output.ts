import { formatTable } from './table';
export { formatTimestamp as formatDate } from '../core/format';

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
