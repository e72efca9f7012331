import { maskSecrets } from '../azure/secrets';
import { formatTable } from './table';
export { formatTimestamp as formatDate } from '../core/format';

export interface Column<T> {
  header: string;
  value: (item: T) => string | number | undefined;
}

/**
 * Prints items as JSON (`--json`) or as a table, secrets masked: a model URI, a command, a tag or
 * a param may carry a SAS or a key, and this output often ends up in a CI log.
 */
export function printItems<T>(items: readonly T[], columns: ReadonlyArray<Column<T>>, json: boolean | undefined): void {
  if (json) {
    printMasked(JSON.stringify(items, null, 2));
    return;
  }
  if (items.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  printMasked(formatTable(columns.map((c) => c.header), items.map((item) => columns.map((c) => c.value(item)))));
}

/** One block of output, secrets masked (`azml sas` alone prints a secret, on purpose). */
export function printMasked(text: string): void {
  process.stdout.write(`${maskSecrets(text)}\n`);
}
