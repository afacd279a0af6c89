import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../common/csv';
import { debriefCsv, type DebriefRow } from './debrief';
import { Store } from '../store';
import { tempDir } from '../../../test/helpers';

/** Cells that spreadsheets (Excel, LibreOffice, Google Sheets) run as formulas; OWASP's CSV-injection list and the findings. */
const HOSTILE = ['=1+1', '+1+1', '-1+1+cmd|\' /C calc\'!A0', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '  =1+1', ' \t@x', '＝1+1', '＋1', '－1+1', '＠SUM(A1)', '=HYPERLINK("http://evil.example","x")'];
/** Plain numbers stay numbers: a time to dispatch of -12.5 s is not a formula. */
const NUMBERS = ['-12.5', '3', '0.25', '1e5', '-0'];

/** Reads CSV back with Python's csv module (RFC 4180, a reader we did not write), or null where python3 is absent. */
function pythonRows(csv: string): string[][] | null {
  const py = spawnSync('python3', ['-c', 'import csv,io,json,sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'], { input: csv, encoding: 'utf8' });
  if (py.error || py.status !== 0) return null;
  return JSON.parse(py.stdout) as string[][];
}

/** What a spreadsheet would do with a cell's text: run it as a formula when its first non-blank character starts one. */
const runsAsFormula = (text: string) => /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u.test(text) && !/^-?[\d.]/.test(text.trim());

describe('every CSV Vigie writes keeps formula-like cells as text', () => {
  it('neutralises each hostile cell and leaves plain numbers alone, read back by Python’s csv module', () => {
    const csv = toCsv(['cell'], [...HOSTILE, ...NUMBERS].map((v) => [v]));
    const rows = pythonRows(csv);
    if (!rows) console.warn('python3 not found: reading the CSV back with our own split instead');
    const cells = (rows ?? csv.trim().split('\r\n').map((l) => [l])).slice(1).map((r) => r[0]!);
    HOSTILE.forEach((v, i) => {
      expect(cells[i], `"${v}"`).toBe(`'${v}`);
      expect(runsAsFormula(cells[i]!)).toBe(false);
    });
    NUMBERS.forEach((v, i) => expect(cells[HOSTILE.length + i]).toBe(v));
    // Before: the debrief's guard let -1+1+cmd|…, a leading tab or space and full-width ＝ through.
    expect(csvCell('-1+1+cmd|x')).toBe("'-1+1+cmd|x");
  });

  it('the debrief CSV neutralises an incident title a feed made hostile', () => {
    const row = { incident: 'i1', title: '-1+1+cmd|\' /C calc\'!A0', category: '＝2+2', priority: 2, origin: '\t=1', shownAt: 0, acknowledgedAt: null, acknowledgedBy: ' @x', secondsToAcknowledge: -12.5, dispatchedAt: null, secondsToDispatch: null, units: '', overrides: '', closedAt: null, dayAcknowledgedAfterS: null, dayDispatchedAfterS: null, occurredAt: 0, secondsToClose: null, dayClosedAfterS: null } as unknown as DebriefRow;
    const csv = debriefCsv([row]);
    const rows = pythonRows(csv);
    if (!rows) return void console.warn('python3 not found: skipping the read-back of the debrief CSV');
    const [header, cells] = rows as [string[], string[]];
    const get = (k: string) => cells[header.indexOf(k)]!;
    expect(get('title')).toBe("'-1+1+cmd|' /C calc'!A0");
    expect(get('category')).toBe("'＝2+2");
    expect(get('origin')).toBe("'\t=1");
    expect(get('acknowledgedBy')).toBe("' @x");
    expect(get('secondsToAcknowledge')).toBe('-12.5');
    for (const c of cells) expect(runsAsFormula(c)).toBe(false);
  });

  it('vigie audit export --csv neutralises a consultation target a desk user typed', async () => {
    const profile = tempDir();
    const user = os.userInfo().username;
    const store = Store.open(profile);
    store.audit.append({ t: Date.now(), user: 'amartin', role: 'operator', kind: 'consultation', action: 'incident.open', target: '=HYPERLINK("http://evil.example","x")', origin: 'test' });
    store.close();
    const policy = path.join(profile, 'policy.json');
    fs.writeFileSync(policy, JSON.stringify({ version: 1, users: { [user]: 'auditor' }, defaultRole: null }));
    const bin = path.resolve(__dirname, '../../../test/vigie.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'audit', 'export', '--profile', profile, '--policy', policy, '--csv'], { encoding: 'utf8', env: { ...process.env, VIGIE_POLICY_FILE: path.join(profile, 'no-machine-policy.json') } });
    const rows = pythonRows(stdout) ?? stdout.trim().split('\r\n').map((l) => l.split(','));
    expect(rows[0]).toEqual(['id', 't', 'user', 'role', 'kind', 'action', 'target', 'reason', 'origin', 'hash']);
    expect(rows[1]![6]).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(rows).toHaveLength(3); // the row, then the export itself, journaled
  });
});
