import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers';

const script = path.resolve(__dirname, 'check-cycles.mjs');

function tree(files: Record<string, string>): string {
  const root = tempDir('vigie-cycles-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}
const check = (root: string) => spawnSync(process.execPath, [script, root], { encoding: 'utf8' });

describe('the import cycle check', () => {
  it('fails on a run-time cycle in any layer and names the files of each loop', () => {
    const pairs = [
      ['renderer/features/replay/TimelineBar.tsx', 'renderer/features/replay/useReplayShortcuts.ts'],
      ['main/core/a.ts', 'main/core/sub/b.ts'],
      ['common/a.ts', 'common/b.ts'],
      ['preload/a.ts', 'preload/b.ts'],
    ] as const;
    const spec = (from: string, to: string) => {
      const r = path.posix.relative(path.posix.dirname(from), to).replace(/\.tsx?$/, '');
      return r.startsWith('.') ? r : `./${r}`;
    };
    const files: Record<string, string> = {};
    for (const [a, b] of pairs) {
      files[a] = `import { b } from '${spec(a, b)}';\nexport const a = () => b;`;
      files[b] = `export { a as b } from '${spec(b, a)}';`;
    }
    const result = check(tree(files));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Import cycles (4)');
    for (const [a, b] of pairs) expect(result.stderr).toMatch(new RegExp(`(${a} → ${b} → ${a})|(${b} → ${a} → ${b})`));
  }, 120_000);

  it('finds a loop through three files, and a file importing itself', () => {
    const three = check(tree({ 'main/a.ts': "import './b';", 'main/b.ts': "import { c } from './c';", 'main/c.ts': "import a from './a';" }));
    expect(three.status).toBe(1);
    expect(three.stderr).toMatch(/main\/a\.ts → main\/b\.ts → main\/c\.ts → main\/a\.ts/);
    expect(check(tree({ 'common/x.ts': "import { y } from './x';\nexport const y = 1;" })).status).toBe(1);
  }, 120_000);

  it('passes type-only and dynamic imports between two files, which do not run at load', () => {
    const result = check(
      tree({
        'main/core/core.ts': "import { api } from './api/index';\nexport class Core {}",
        'main/core/api/index.ts': "import type { Core } from '../core';\nimport { type Core as C2 } from '../core';\nexport const api = (c: Core, d: C2) => import('../core');",
        'renderer/a.tsx': "import { b } from './b';",
        'renderer/b.ts': 'export const b = 1;',
      }),
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});
