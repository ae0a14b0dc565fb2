/**
 * Writes a run's tables as one .xlsx workbook with exceljs's streaming writer (rows go to the
 * file as they are added: a 48-month interval sheet is 140,000 rows). One sheet per table
 * (reports/spreadsheet.ts), numbers as numbers, the header row bold and frozen, column widths
 * set. Loaded only by `ccsim report --xlsx` (sim/cli/report.ts imports it on demand), so
 * exceljs never weighs on other commands' start-up.
 */
import type { Sheet } from "../../reports/spreadsheet.js"

export const writeXlsx = async (path: string, sheets: Iterable<Sheet>): Promise<void> => {
  // exceljs stays outside the bundle (build.mjs) and is read from node_modules here, on first use.
  const { default: ExcelJS } = await import("exceljs")
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false })
  workbook.creator = "ccsim"
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: "frozen", ySplit: 1 }] })
    ws.columns = sheet.header.map((h, i) => ({ header: h, key: String(i), width: sheet.widths[i] ?? 10 }))
    ws.getRow(1).font = { bold: true }
    ws.getRow(1).commit()
    for (const row of sheet.rows) ws.addRow(row as Array<number | string | null>).commit()
    ws.commit()
  }
  await workbook.commit()
}
