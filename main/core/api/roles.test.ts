import { describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { tempDir } from '../../../test/helpers';

const as = (role: CallContext['role']): CallContext => ({ user: `${role}.user`, role, origin: 'test' });

describe('roles on operator actions, enforced by the data service', () => {
  it('refuses dispatch and closing to an operator, naming the roles that may, and journals the attempt', async () => {
    const profile = tempDir();
    const core = new VigieCore(profile, { profileDir: profile, demo: false });
    try {
      const assign = await dispatch(core.api, { t: 'req', id: 1, method: 'dispatch.assign', params: { incidentId: 'x', unitId: 'y' } }, as('operator'), core.dispatchHooks);
      expect(assign).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'dispatch.assign is not allowed for the role "operator" (allowed: supervisor, trainer).' } });
      const close = await dispatch(core.api, { t: 'req', id: 2, method: 'incidents.close', params: { id: 'x' } }, as('operator'));
      expect(close).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // The attempt is journaled (an attempted access is part of the trail).
      expect(core.store.audit.list({ limit: 5 })[0]).toMatchObject({ user: 'operator.user', role: 'operator', action: 'refused', target: 'dispatch.assign' });
      const exportAsSupervisor = await dispatch(core.api, { t: 'req', id: 3, method: 'audit.export', params: {} }, as('supervisor'));
      expect(exportAsSupervisor).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const auditorActs = await dispatch(core.api, { t: 'req', id: 4, method: 'incidents.acknowledge', params: { id: 'x' } }, as('auditor'));
      expect(auditorActs).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // A supervisor reaches the handler, which explains what is wrong with the request itself.
      const reopen = await dispatch(core.api, { t: 'req', id: 5, method: 'incidents.reopen', params: { id: 'x', reason: '' } }, as('supervisor'));
      expect(reopen).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('reason: say why in a few words') } });
    } finally {
      await core.close();
    }
  });
});
