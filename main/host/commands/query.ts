import os from 'node:os';
import path from 'node:path';
import type { MethodName, Params } from '../../../common/contract';
import { VigieCore } from '../../core/core';
import { dispatch, type CallContext } from '../../core/rpc';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

function isoArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} ${value}: expected an ISO 8601 time, e.g. 2010-05-01T00:00:00Z`);
  return ms;
}

function bboxArg(value: string | undefined): [number, number, number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw new UsageError(`--bbox ${value}: expected west,south,east,north in degrees`);
  return parts as [number, number, number, number];
}

const command: Command = {
  name: 'query',
  summary: 'Print what the cache holds (for scripts; same code path as the UI)',
  usage: `vigie query --profile DIR <incidents|alerts|cameras|units|sensors> [--count] [--json]
       vigie query --profile DIR incidents [--from ISO] [--to ISO] [--at ISO] [--bbox w,s,e,n] --count

  incidents        incidents in the cache, most recent first
  alerts           current CAP alerts; cameras; units (last position); sensors (latest readings)
  --from/--to ISO  with --count: incidents that occurred in [from, to)
  --at ISO         with --count: incidents open at that instant (occurred by then, not yet closed)
  --bbox w,s,e,n   only inside this box (degrees)
  --count          print only how many
  --json           one JSON array (the same objects the UI receives)`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { profile: { type: 'string' }, count: { type: 'boolean' }, json: { type: 'boolean' }, limit: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, at: { type: 'string' }, bbox: { type: 'string' } },
      true,
    );
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const [what] = positionals;
    const KINDS = { incidents: 'incidents.list', alerts: 'alerts.list', cameras: 'cameras.list', units: 'units.list', sensors: 'sensors.list' } as const;
    if (!what || !(what in KINDS)) throw new UsageError(what ? `unknown kind "${what}"; known: ${Object.keys(KINDS).join(', ')}` : `say what to query: ${Object.keys(KINDS).join(', ')}`);
    const profileDir = path.resolve(values.profile ?? defaultProfileDir());
    // The UI's own path: the data service's API through its dispatcher (validation, roles).
    const core = new VigieCore(profileDir, { profileDir, demo: false });
    const ctx: CallContext = { user: os.userInfo().username, role: core.roleFor(os.userInfo().username, 'supervisor') ?? 'auditor', origin: 'cli' };
    const call = async <M extends MethodName>(method: M, params: Params<M>) => {
      const reply = await dispatch(core.api, { t: 'req', id: 1, method, params }, ctx, core.dispatchHooks);
      if (!reply || reply.t !== 'res') throw new Error('no answer');
      if (!reply.ok) throw new UsageError(reply.error.message);
      return reply.result;
    };
    try {
      const window = { from: isoArg('from', values.from), to: isoArg('to', values.to), at: isoArg('at', values.at), bbox: bboxArg(values.bbox) };
      const filtered = Object.values(window).some((v) => v !== undefined);
      if (values.count && what === 'incidents') {
        console.log(String(await call('incidents.count', Object.fromEntries(Object.entries(window).filter(([, v]) => v !== undefined)))));
        return 0;
      }
      if (filtered && (what !== 'incidents' || !values.count)) throw new UsageError('--from, --to, --at and --bbox go with incidents --count');
      if (what !== 'incidents') {
        const items = (await call(KINDS[what as keyof typeof KINDS], {})) as Record<string, unknown>[];
        if (values.count) console.log(String(items.length));
        else if (values.json) console.log(JSON.stringify(items));
        else for (const item of items) console.log([item.id, item.callsign ?? item.name ?? item.event ?? item.observedProperty ?? '', item.status ?? item.severity ?? item.value ?? ''].join('\t'));
        return 0;
      }
      const incidents = (await call('incidents.list', values.limit ? { limit: Number(values.limit) } : {})) as { occurredAt: number; id: string; priority: number; status: string; category: string; title: string; address?: string }[];
      if (values.json) {
        console.log(JSON.stringify(incidents));
        return 0;
      }
      for (const i of incidents) console.log([new Date(i.occurredAt).toISOString(), i.id, `P${i.priority}`, i.status, i.category, i.title, i.address ?? ''].join('\t'));
      return 0;
    } finally {
      await core.close();
    }
  },
};
export default command;
