import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { tempDir } from '../../../test/helpers';
import { TestClock } from '../../../test/clock';

const supervisor: CallContext = { user: 'sam', role: 'supervisor', origin: 'test' };

// The service loads the city pack at its first idle moment after start (core.ts), not when the
// first desk asks for its map. A pack that cannot be read must not take the service down then.
describe('the city pack at start', () => {
  it('a profile whose city pack folder is gone still starts and answers; the map call says what failed', async () => {
    const profile = tempDir();
    fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ cityPack: 'gone-pack', demo: false }));
    const clock = new TestClock();
    const core = new VigieCore(profile, { profileDir: profile, demo: false, clock });
    try {
      core.start();
      clock.advance(0); // the warm-up's turn: it runs (and would throw) inside advance
      const call = (method: string) => dispatch(core.api, { t: 'req', id: 1, method, params: {} }, supervisor, core.dispatchHooks);
      expect(await call('session.whoami')).toMatchObject({ ok: true, result: { user: 'sam' } });
      const pack = await call('map.cityPack');
      expect(pack).toMatchObject({ ok: false });
      expect(JSON.stringify(pack)).toContain('gone-pack');
      expect(await call('incidents.list')).toMatchObject({ ok: true, result: [] });
    } finally {
      await core.close();
    }
  });
});
