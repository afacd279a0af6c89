import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import type { FeedStatus } from '../../../common/domain/feed';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../../test/helpers';

/**
 * A real full disk: the profile on a 6 MB tmpfs, filled to the last byte while feeds run. Needs
 * root (mount); elsewhere the test says so and is skipped.
 */
const mountPoint = tempDir('vigie-full-disk-');
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  console.warn(`full-disk test skipped: cannot mount a small tmpfs here (${(error as Error).message.split('\n')[0]}); it needs root`);
}

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
let server: FeedServer;
let core: VigieCore | null = null;

beforeAll(async () => {
  server = await startFeedServer(featureCollection([incidentFeature('A')]));
});
afterAll(async () => {
  await core?.close().catch(() => undefined);
  await server.close();
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
});

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes zeros until the file system refuses (ENOSPC). */
function fill(file: string): void {
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

describe.skipIf(!mounted)('a full disk under `serve`', () => {
  it('marks the feeds failing with the reason, keeps answering, and recovers once space is freed', async () => {
    const profile = path.join(mountPoint, 'profile');
    fs.mkdirSync(profile);
    fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ demo: true, feeds: [{ id: 'city', type: 'geojson', url: server.url, intervalSeconds: 0.25 }] }));
    core = new VigieCore(profile, { profileDir: profile, demoIntervalMs: 40, policyFile: path.join(profile, 'no-policy.json') });
    core.start();
    const c = core;
    const status = (id: string) => c.feeds.find((f) => f.id === id)!.status();
    await until('the first records', () => (status('city').stored ?? 0) > 0);

    const filler = path.join(mountPoint, 'filler');
    fill(filler);
    // New data keeps coming from both feeds: every write now meets SQLITE_FULL.
    let n = 0;
    const grow = setInterval(() => server.setBody(featureCollection(Array.from({ length: 50 }, (_, i) => incidentFeature(`B${n}-${i}`, { title: 'x'.repeat(500) }))), `"v${++n}"`), 100);
    try {
      await until('both feeds marked failing for a full disk', () => [status('city'), status('demo')].every((s: FeedStatus) => s.diskFull === true && s.state === 'failing'));
    } finally {
      clearInterval(grow);
    }
    expect(status('city').lastError).toMatch(/the disk holding the profile is full \((SQLITE_FULL|ENOSPC)\): new data from this feed is not stored until space is freed/);
    // The service still answers: reads work on a full disk.
    const list = (await dispatch(c.api, { t: 'req', id: 1, method: 'feeds.list', params: {} }, supervisor)) as { ok: boolean; result: FeedStatus[] };
    expect(list.ok).toBe(true);
    expect(list.result.filter((f) => f.diskFull).map((f) => f.id).sort()).toEqual(['city', 'demo']);
    expect(await dispatch(c.api, { t: 'req', id: 2, method: 'incidents.count', params: {} }, supervisor)).toMatchObject({ ok: true });
    // A change asked meanwhile is refused with what to do, not as an internal failure.
    expect(await dispatch(c.api, { t: 'req', id: 3, method: 'settings.set', params: { key: 'trailMinutes', value: 30 } }, supervisor)).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('the disk holding the Vigie profile is full. Ask IT to free space') },
    });

    fs.rmSync(filler);
    server.setBody(featureCollection([incidentFeature('C')]), '"after"');
    await until('the feeds back to normal', () => status('city').diskFull !== true && status('demo').diskFull !== true);
    expect(status('city').state).not.toBe('failing');
  }, 60_000);
});
