import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers';

const script = path.resolve(__dirname, 'check-layering.mjs');

function tree(files: Record<string, string>): string {
  const root = tempDir('vigie-layering-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}
const check = (root: string) => spawnSync(process.execPath, [script, root], { encoding: 'utf8' });

describe('the layering check', () => {
  it('passes a tree that respects the layers', () => {
    const result = check(
      tree({
        'common/contract.ts': "import { z } from 'zod';\nimport { Incident } from './domain/incident';",
        'common/domain/incident.ts': "import { z } from 'zod';",
        'main/core/api.ts': "import fs from 'node:fs';\nimport { contract } from '../../common/contract';",
        'renderer/App.tsx': "import { useState } from 'react';\nimport type { Session } from '../common/contract';",
        'preload/index.ts': "import { contextBridge } from 'electron';\nimport { createClient } from '../common/rpc';",
      }),
    );
    expect(result.status).toBe(0);
  });

  it('fails when main/core imports electron, common imports main, or the renderer imports main', () => {
    const result = check(
      tree({
        'main/core/bad.ts': "import { app } from 'electron';",
        'main/core/lazy.ts': "const e = await import('electron');",
        'common/bad.ts': "export { x } from '../main/core/api';",
        'common/io.ts': "import fs from 'node:fs';",
        'renderer/bad.tsx': "import { VigieCore } from '../main/core/core';",
        'main/core/fine.ts': "// import { app } from 'electron'; is only a comment",
      }),
    );
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n').slice(1);
    expect(lines).toHaveLength(5);
    expect(result.stderr).toMatch(/main\/core\/bad\.ts: imports "electron"/);
    expect(result.stderr).toMatch(/main\/core\/lazy\.ts: imports "electron"/);
    expect(result.stderr).toMatch(/common\/bad\.ts: imports "\.\.\/main\/core\/api": common\/ must not import project code outside common/);
    expect(result.stderr).toMatch(/common\/io\.ts: imports "node:fs"/);
    expect(result.stderr).toMatch(/renderer\/bad\.tsx: imports "\.\.\/main\/core\/core"/);
  });

  it('fails when bin/, which runs unbundled on a workstation, imports a package that is not a production dependency', () => {
    const result = check(
      tree({
        'package.json': JSON.stringify({ dependencies: { 'better-sqlite3': '^12' }, devDependencies: { zod: '^4', tsx: '^4' } }),
        'bin/vigie.mjs': "import fs from 'node:fs';\nimport Database from 'better-sqlite3';\nconst { register } = await import('tsx/esm/api');\nawait import('../dist/host/cli.mjs');",
        'bin/bad.mjs': "import { z } from 'zod';",
      }),
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').slice(1)).toEqual([expect.stringMatching(/bin\/bad\.mjs: imports "zod": bin\/ must not import "zod", which is not a production dependency/)]);
  });

  it('passes on this repository', () => {
    expect(check(path.resolve(__dirname, '..')).status).toBe(0);
  });
});
