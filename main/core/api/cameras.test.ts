import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch } from '../rpc';
import { EventBus } from '../bus';
import { ingestBatch } from '../ingest/ingest';
import { storeAndPublish } from '../feeds/runner';
import { tempDir } from '../../../test/helpers';

const cores: VigieCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

function coreWithCameras(): VigieCore {
  const dir = tempDir();
  const core = new VigieCore(dir, { profileDir: dir, demo: false });
  cores.push(core);
  const camera = (externalId: string, streamUrl?: string) => ({
    kind: 'camera' as const, externalId, name: `Caméra ${externalId}`, lon: 5.3698, lat: 43.2951, heading: 225, fieldOfView: 60, range: 80, status: 'online' as const, t: 1_000, ...(streamUrl ? { streamUrl } : {}),
  });
  ingestBatch(core.store, { id: 'vp', simulated: false }, { records: [camera('C42', 'rtsp://video.example.org/cam42'), camera('C43')], errors: [] }, 1_000);
  return core;
}

async function call(core: VigieCore, method: string, params: unknown, role: 'operator' | 'supervisor' | 'auditor' = 'supervisor') {
  return (await dispatch(core.api, { t: 'req', id: 1, method, params }, { role, user: 'jdupont', origin: 'window-1' })) as { ok: boolean; result?: unknown; error?: { code: string; message: string } };
}

const journal = (core: VigieCore) => core.store.audit.list({ limit: 50 }).reverse().map(({ user, role, kind, action, target }) => ({ user, role, kind, action, target }));

describe('viewing a camera is a journaled consultation', () => {
  it('opening a camera’s details writes a consultation row naming the user and the camera, in an intact chain', async () => {
    const core = coreWithCameras();
    const reply = await call(core, 'cameras.view', { id: 'vp:C42' });
    expect(reply).toMatchObject({ ok: true, result: { id: 'vp:C42', name: 'Caméra C42', heading: 225, fieldOfView: 60, range: 80, hasStream: true } });
    expect(journal(core)).toEqual([{ user: 'jdupont', role: 'supervisor', kind: 'consultation', action: 'camera.view', target: 'vp:C42' }]);
    expect(core.store.audit.verify()).toEqual({ ok: true, rows: 1 });
  });

  it('the stream’s address is given only by cameras.stream, which journals it; lists and pushes say only that there is one', async () => {
    const core = coreWithCameras();
    const listed = (await call(core, 'cameras.list', {})).result as { id: string; streamUrl?: string; hasStream?: boolean }[];
    expect(listed.find((c) => c.id === 'vp:C42')).toMatchObject({ hasStream: true });
    expect(JSON.stringify(listed)).not.toContain('rtsp://');
    expect((await call(core, 'cameras.view', { id: 'vp:C42' })).result).not.toHaveProperty('streamUrl');

    const pushed: unknown[] = [];
    const bus = new EventBus();
    bus.subscribe((event, payload) => event === 'camera.changed' && pushed.push((payload as { camera: unknown }).camera));
    storeAndPublish({ store: core.store, bus } as never, { id: 'vp', simulated: false }, { records: [{ kind: 'camera', externalId: 'C42', lon: 5.3698, lat: 43.2951, status: 'fault', streamUrl: 'rtsp://video.example.org/cam42', t: 2_000 }], errors: [] }, 2_000);
    expect(pushed).toEqual([expect.objectContaining({ id: 'vp:C42', status: 'fault', hasStream: true })]);
    expect(JSON.stringify(pushed)).not.toContain('rtsp://');

    expect(await call(core, 'cameras.stream', { id: 'vp:C42' }, 'operator')).toMatchObject({ ok: true, result: { url: 'rtsp://video.example.org/cam42' } });
    expect(journal(core).at(-1)).toEqual({ user: 'jdupont', role: 'operator', kind: 'consultation', action: 'camera.stream', target: 'vp:C42' });
  });

  it('a camera without a stream, an unknown camera and an auditor are refused, and a refusal opens nothing', async () => {
    const core = coreWithCameras();
    expect(await call(core, 'cameras.stream', { id: 'vp:C43' })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'Camera Caméra C43 has no stream address in its feed.' } });
    expect(await call(core, 'cameras.view', { id: 'vp:nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call(core, 'cameras.stream', { id: 'vp:C42' }, 'auditor')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(journal(core).filter((r) => r.action.startsWith('camera.'))).toEqual([]);
  });
});
