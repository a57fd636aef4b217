export type Column<T> = [heading: string, value: (row: T) => string | number];

/** A Markdown table (pastes into BENCHMARKS.md or an issue note as it is). */
export function markdownTable<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[]): string {
  const cells = [columns.map(([name]) => name), ...rows.map((row) => columns.map(([, value]) => String(value(row))))];
  const widths = columns.map((_, c) => Math.max(...cells.map((line) => line[c]!.length)));
  const line = (values: string[]) => `| ${values.map((v, c) => v.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}
