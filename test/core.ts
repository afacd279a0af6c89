import { dispatch, type CallContext, type Handlers } from '../main/core/rpc';

/** Calls a contract method as `ctx` through the real dispatcher (parameters checked, roles enforced); throws its error. */
export async function callAs<T>(core: { api: Handlers }, ctx: CallContext, method: string, params: unknown = {}): Promise<T> {
  const reply = (await dispatch(core.api, { t: 'req', id: 1, method, params }, ctx)) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(reply.error!.message);
  return reply.result as T;
}

/** Resolves once the wall clock reads later than `t` (a condition, not a fixed delay). */
async function clockPast(t: number): Promise<number> {
  while (Date.now() <= t) await new Promise((r) => setImmediate(r));
  return Date.now();
}

/** An instant strictly between what the log holds before and what it will hold after (its times are real). */
export async function instantBetween(): Promise<number> {
  const t = await clockPast(Date.now());
  await clockPast(t);
  return t;
}
