import { detectLayout, fillMerges, layoutNotes, SECTION_COLUMN, type LayoutOverride, type SheetLayout } from './layout.js';
import type { SheetGrid } from './workbook.js';
import type { TableRows } from './write-table.js';

/** One sheet's table: where it was found and its rows for the writer. */
export interface SheetTable {
  sheet: number;
  name: string;
  layout: SheetLayout;
  rows: TableRows;
}

/**
 * The tables of a workbook, one per sheet that has one (see detectLayout), numbered from 1 in
 * sheet order. Row numbers in the report are the sheet's own; the rows of a sheet with section
 * rows carry their section in an added column.
 */
export function sheetTables(
  sheets: SheetGrid[],
  source: { name: string; sha256?: string | undefined; size: number },
  overrides: Record<string, LayoutOverride> = {},
): SheetTable[] {
  const out: SheetTable[] = [];
  sheets.forEach((grid, i) => {
    const layout = detectLayout(grid, overrides[grid.name] ?? overrides[String(i + 1)] ?? {});
    if (!layout || layout.data.length === 0) return;
    const [c0, c1] = layout.columns;
    const header = layout.hasSections ? [...layout.header, SECTION_COLUMN] : layout.header;
    let done = false;
    let filledGrid: string[][] | undefined;
    out.push({
      sheet: out.length + 1,
      name: grid.name,
      layout,
      rows: {
        name: `${source.name} › ${grid.name}`,
        sha256: source.sha256,
        total: source.size,
        bytes: () => (done ? source.size : 0),
        header,
        numbersEn: true,
        notes: layoutNotes(layout),
        open: async function* () {
          // A merged data cell (a district's name over its communes' rows) counts for every row it spans; filled once per sheet.
          const filled = (filledGrid ??= fillMerges(grid));
          const rows = layout.data.map(({ row, section }) => {
            const cells: string[] = [];
            for (let c = c0; c <= c1; c++) cells.push(filled[row]?.[c] ?? '');
            if (layout.hasSections) cells.push(section ?? '');
            return cells;
          });
          for (let k = 0; k < rows.length; k += 5000) yield { rows: rows.slice(k, k + 5000), numbers: layout.data.slice(k, k + 5000).map((d) => d.row + 1) };
          done = true;
        },
      },
    });
  });
  return out;
}
