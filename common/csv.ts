/**
 * CSV for people who open it in a spreadsheet (RFC 4180 quoting), with every cell a spreadsheet
 * would run as a formula kept as text (OWASP "CSV injection"). The one writer of every CSV Vigie
 * produces: the debrief, `vigie audit export --csv`, `vigie forecast --out`.
 */

/** A plain number (what a spreadsheet reads as a number, never a formula): left as it is. */
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/**
 * What starts a formula: = + - @ (and their full-width forms ＝ ＋ － ＠, which some spreadsheets
 * fold to ASCII), a tab or carriage return (Excel strips them and reads what follows), after any
 * run of spaces or other white space, which spreadsheets also skip.
 */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/u;

/** One cell, neutralised then quoted. */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = !NUMBER.test(text) && FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole CSV document: header then rows, CRLF line ends as RFC 4180 asks (or `eol` where a format already promised \n). */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[], eol = '\r\n'): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join(eol) + eol;
}
