import { afterEach, describe, expect, it } from 'vitest';
import type { PictureAt } from '../../../common/methods/replay';
import { VigieCore } from '../core';
import type { CallContext } from '../rpc';
import { tempDir } from '../../../test/helpers';
import { callAs, instantBetween } from '../../../test/core';

const cores: VigieCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

const jdupont: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const amartin: CallContext = { user: 'amartin', role: 'supervisor', origin: 'test' };
const instant = instantBetween;
const call = callAs;

const layersAt = async (core: VigieCore, ctx: CallContext, at: number) => (await call<PictureAt>(core, ctx, 'replay.pictureAt', { at })).layers;

const CAMERAS_ON = { visible: ['incidents', 'units', 'cameras'], opacity: { incidents: 1, units: 1, cameras: 0.8 } };
const CAMERAS_OFF = { visible: ['incidents', 'units'], opacity: { incidents: 0.5, units: 1, cameras: 0.8 } };

describe('the layer set in replay', () => {
  it('is the set recorded last at or before the instant; none before the first', async () => {
    const dir = tempDir();
    const core = new VigieCore(dir, { profileDir: dir, demo: false });
    cores.push(core);
    core.start();
    const journal = () => core.store.db.prepare('SELECT count(*) FROM audit').pluck().get() as number;
    const journaled = journal();

    const before = await instant();
    expect(await call(core, jdupont, 'layers.record', CAMERAS_ON)).toEqual({ recorded: true });
    const between = await instant();
    expect(await call(core, jdupont, 'layers.record', CAMERAS_OFF)).toEqual({ recorded: true });
    // The same set again (a slider dragged back to where it was): nothing new in the log.
    expect(await call(core, jdupont, 'layers.record', { visible: ['units', 'incidents'], opacity: CAMERAS_OFF.opacity })).toEqual({ recorded: false });
    const after = await instant();

    expect(await layersAt(core, jdupont, before)).toBeNull();
    expect(await layersAt(core, jdupont, between)).toEqual({ visible: ['cameras', 'incidents', 'units'], opacity: CAMERAS_ON.opacity });
    expect(await layersAt(core, jdupont, after)).toEqual({ visible: ['incidents', 'units'], opacity: CAMERAS_OFF.opacity });
    // A view change is logged as an event, not journaled as an action.
    expect(journal()).toBe(journaled);
    expect(core.store.db.prepare("SELECT count(*) FROM events WHERE kind = 'layers.changed'").pluck().get()).toBe(2);

    // A layer set is not something that happened: it neither extends the log's range nor stops "next event".
    expect(await call(core, jdupont, 'replay.range')).toEqual({ first: null, last: null });
    expect(await call(core, jdupont, 'replay.nextEvent', { at: before })).toBeNull();

    // Someone who recorded nothing sees the last set recorded on this profile; once they record theirs, their own.
    expect(await layersAt(core, amartin, after)).toEqual({ visible: ['incidents', 'units'], opacity: CAMERAS_OFF.opacity });
    await call(core, amartin, 'layers.record', { visible: ['forecasts'], opacity: { forecasts: 0.7 } });
    const later = await instant();
    expect(await layersAt(core, amartin, later)).toEqual({ visible: ['forecasts'], opacity: { forecasts: 0.7 } });
    expect(await layersAt(core, jdupont, later)).toEqual({ visible: ['incidents', 'units'], opacity: CAMERAS_OFF.opacity });

    // An auditor reads replays but records no layer set; bad input is refused with the reason.
    await expect(call(core, { user: 'audit', role: 'auditor', origin: 'test' }, 'layers.record', CAMERAS_ON)).rejects.toThrow(/not allowed for the role "auditor"/);
    await expect(call(core, jdupont, 'layers.record', { visible: ['incidents'], opacity: { incidents: 2 } })).rejects.toThrow(/opacity\.incidents/);
  });
});
