import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch } from '../rpc';
import { tempDir } from '../../../test/helpers';

const cores: VigieCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

function openCore(dir: string): VigieCore {
  const core = new VigieCore(dir, { profileDir: dir, demo: false });
  cores.push(core);
  return core;
}

async function call(core: VigieCore, method: string, params: unknown = {}, role = 'supervisor') {
  const reply = (await dispatch(core.api, { t: 'req', id: 1, method, params }, { role: role as 'supervisor', user: 'alice', origin: 'test' })) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(reply.error!.message);
  return reply.result as never;
}

describe('replay bookmarks', () => {
  it('persist across a restart of the data service, in time order, and can be removed', async () => {
    const dir = tempDir();
    const first = openCore(dir);
    const t = Date.parse('2010-03-14T10:00:00Z');
    await call(first, 'replay.addBookmark', { at: t + 3_600_000, label: 'Second call' });
    const added = (await call(first, 'replay.addBookmark', { at: t, label: '  Start of the fire  ' })) as { id: string; label: string; createdBy: string };
    expect(added).toMatchObject({ label: 'Start of the fire', createdBy: 'alice' });
    await first.close();
    cores.splice(0);

    const second = openCore(dir);
    const list = (await call(second, 'replay.bookmarks')) as { at: number; label: string }[];
    expect(list.map((b) => [b.at, b.label])).toEqual([
      [t, 'Start of the fire'],
      [t + 3_600_000, 'Second call'],
    ]);
    expect(await call(second, 'replay.removeBookmark', { id: added.id })).toEqual({ removed: true });
    expect(await call(second, 'replay.removeBookmark', { id: added.id })).toEqual({ removed: false });
    expect(((await call(second, 'replay.bookmarks')) as unknown[]).length).toBe(1);
  });

  it('refuses an empty label, and an auditor cannot add one', async () => {
    const core = openCore(tempDir());
    await expect(call(core, 'replay.addBookmark', { at: 0, label: '   ' })).rejects.toThrow(/label/);
    await expect(call(core, 'replay.addBookmark', { at: 0, label: 'x' }, 'auditor')).rejects.toThrow(/not allowed/);
    expect(await call(core, 'replay.bookmarks')).toEqual([]);
  });

  it('says which file is damaged rather than losing it', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bookmarks.json'), '{oops');
    const core = openCore(dir);
    await expect(call(core, 'replay.bookmarks')).rejects.toThrow(/bookmarks\.json is not valid JSON/);
    await expect(call(core, 'replay.addBookmark', { at: 0, label: 'x' })).rejects.toThrow(/bookmarks\.json/);
    expect(fs.readFileSync(path.join(dir, 'bookmarks.json'), 'utf8')).toBe('{oops');
  });
});
