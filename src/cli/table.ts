/** Formats rows as a plain, left-aligned text table for the terminal. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === undefined ? '' : String(cell))))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : (cell ?? '').padEnd(widths[column]!))).join('  ').trimEnd())
    .join('\n');
}
