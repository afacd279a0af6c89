import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers';

const script = path.resolve(__dirname, 'check-sql-placement.mjs');

function tree(files: Record<string, string>): string {
  const root = tempDir('vigie-sql-placement-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}
const check = (root?: string) => spawnSync(process.execPath, root ? [script, root] : [script], { encoding: 'utf8' });

describe('SQL stays in main/core/db/', () => {
  it('holds for this repository: every prepared statement of runtime code and benches is under main/core/db/', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('passes statements under db/, in tests, and in comments', () => {
    const result = check(
      tree({
        'main/core/db/incidents.ts': "export const get = (db) => db.prepare('SELECT * FROM incidents WHERE id = ?');",
        'main/core/audit/journal.test.ts': "db.prepare('UPDATE audit SET user = ? WHERE id = 2').run('x');",
        'main/core/hub/workstation.ts': "// db.prepare('SELECT 1') was here\n/* and db.prepare('SELECT 2') */\nexport const x = 1;",
      }),
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('names each statement prepared elsewhere, with its line, in runtime code and benches', () => {
    const result = check(
      tree({
        'main/core/hub/workstation.ts': "const a = 1;\nconst row = this.db\n  .prepare('SELECT value FROM sync_state')\n  .get();",
        'main/core/api/picture.ts': "core.store.db.prepare('SELECT payload FROM events').all();",
        'bin/tool.mjs': "db.prepare ('DELETE FROM events').run();",
        'bench/new.mjs': "store.db.prepare('SELECT count(*) FROM incidents').pluck().get();",
      }),
    );
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n').slice(1).map((l) => l.trim()).sort();
    expect(lines).toEqual([
      'bench/new.mjs:1: .prepare( outside main/core/db/: move the statement into a named function of a main/core/db/ module and call that',
      'bin/tool.mjs:1: .prepare( outside main/core/db/: move the statement into a named function of a main/core/db/ module and call that',
      'main/core/api/picture.ts:1: .prepare( outside main/core/db/: move the statement into a named function of a main/core/db/ module and call that',
      'main/core/hub/workstation.ts:3: .prepare( outside main/core/db/: move the statement into a named function of a main/core/db/ module and call that',
    ]);
  });

  it('holds an allow-listed file to its count, both ways, so the list only shrinks', () => {
    const grown = check(tree({ 'bench/ingest.mjs': "db.prepare('a');\ndb.prepare('b');\ndb.prepare('c');" }));
    expect(grown.status).toBe(1);
    expect(grown.stderr).toContain('bench/ingest.mjs: 3 statements where the allow-list (raw SQLite baseline) says 2');
    const shrunk = check(tree({ 'bench/ingest.mjs': "db.prepare('a');" }));
    expect(shrunk.status).toBe(1);
    expect(shrunk.stderr).toContain('bench/ingest.mjs: 1 statement where the allow-list says 2: lower its count');
  });
});
