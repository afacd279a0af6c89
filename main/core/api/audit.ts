import type { auditMethods } from '../../../common/methods/audit';
import type { SyncLink } from '../compose';
import type { ProfilePolicy } from '../policy/profilePolicy';
import type { Store } from '../store';
import type { DomainHandlers } from './handlers';
import { ConsultLimit } from './consultLimit';
import { RpcError } from '../../../common/rpc';
import { checkAnchors, readAnchors } from '../audit/anchor';

export interface AuditDeps {
  audit: Store['audit'];
  incidents: Pick<Store['incidents'], 'get'>;
  policy: Pick<ProfilePolicy, 'auditKey' | 'auditAnchor'>;
  /** A seat of a hub is anchored there by default (hub/workstation.ts). */
  sync: SyncLink | null;
}

export function auditHandlers({ audit, incidents, policy, sync }: AuditDeps): DomainHandlers<typeof auditMethods> {
  const consultLimit = new ConsultLimit();
  const journal = (ctx: { user: string; role: import('../../../common/domain/roles').Role; origin: string }, action: string, target: string) =>
    audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action, target, origin: ctx.origin });
  return {
    'audit.consult': ({ action, target }, ctx) => {
      // Only what exists is journaled as opened: an invented target would fill the trail with noise.
      if (action === 'incident.open' && !incidents.get(target)) {
        throw new RpcError('not_found', `No incident "${target.slice(0, 80)}" here: only opening an incident that exists is journaled.`);
      }
      const verdict = consultLimit.check(`${ctx.user}\u0000${ctx.origin}`, `${action}\u0000${target}`);
      if (verdict === 'limit') {
        throw new RpcError('unavailable', `Too many consultations from this session (at most ${consultLimit.perMinute} a minute are journaled); wait a minute and try again.`);
      }
      if (verdict === 'ok') journal(ctx, action, target);
      return null;
    },
    // Reading the journal is itself a consultation: who looked at whose trail is journaled too.
    'audit.list': ({ target, limit }, ctx) => {
      const rows = audit.list({ ...(target ? { target } : {}), limit });
      journal(ctx, 'audit.list', target ?? '*');
      return rows;
    },
    'audit.verify': () => {
      const chain = audit.verify(policy.auditKey());
      const anchor = policy.auditAnchor;
      const atHub = sync?.anchorStatus?.();
      if (!anchor && atHub) {
        // A seat of a hub: anchored there by default. The hub checks each head against the last
        // (hub_anchor_alerts); here, the newest row the hub acknowledged must still be as it was.
        const { newest, problem } = atHub;
        const local = newest && audit.hashAt()(newest.id) !== newest.hash ? `row ${newest.id} no longer matches the head the hub anchored` : null;
        const why = problem ?? local;
        return { ...chain, anchors: { file: `hub ${atHub.hub}`, ok: why === null, count: newest ? 1 : 0, ...(newest ? { newest: { t: newest.at, id: newest.id } } : {}), ...(why ? { problem: why } : {}) } };
      }
      if (!anchor) return { ...chain, anchors: null };
      const read = readAnchors(anchor.file);
      const checked = read.problem ? { ok: false, anchors: read.anchors.length, problem: read.problem } : checkAnchors(audit, read.anchors);
      return { ...chain, anchors: { file: anchor.file, ok: checked.ok, count: checked.anchors, ...(checked.newest ? { newest: checked.newest } : {}), ...(checked.problem ? { problem: checked.problem } : {}) } };
    },
    'audit.export': (_params, ctx) => {
      journal(ctx, 'audit.export', '*');
      return audit.all();
    },
  };
}
