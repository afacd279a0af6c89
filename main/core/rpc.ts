import { z } from 'zod';
import { contract, type MethodName, type ParsedParams, type Result } from '../../common/contract';
import type { Role } from '../../common/domain/roles';
import { RpcError, type WireMessage } from '../../common/rpc';
import { log } from './log';
import { UserError } from './userError';
import { isDiskFull } from './feeds/diskFull';
import { resultForRole, type RoleViewOptions } from './policy/roleView';

const logger = log('dispatch');

/** Who is calling: fixed per connection by the host, never taken from the message. */
export interface CallContext {
  user: string;
  role: Role;
  /** Where the call came from, for the journal ("electron:window-2", "ws:127.0.0.1:53122"). */
  origin: string;
}

export type Handlers = {
  [M in MethodName]: (params: ParsedParams<M>, ctx: CallContext) => Result<M> | Promise<Result<M>>;
};

/**
 * Validates, authorises and runs one request. Every method passes here: unknown methods, bad
 * params and callers without the role never reach a handler.
 */
export interface DispatchHooks {
  /** A caller tried a method its role does not allow: journaled, as an attempted access. */
  refused?(ctx: CallContext, method: string): void;
  /** Why the service refuses changes right now (an invalid machine policy), or null. */
  readOnly?(): string | null;
  /** What the policy lets a role see of results (a wall's granted fields); see policy/roleView.ts. */
  roleView?(): RoleViewOptions;
}

export async function dispatch(handlers: Handlers, message: unknown, ctx: CallContext, hooks: DispatchHooks = {}): Promise<WireMessage | null> {
  const envelope = z.object({ t: z.literal('req'), id: z.number().int(), method: z.string(), params: z.unknown() }).safeParse(message);
  if (!envelope.success) return null; // not a request: nothing to answer to
  const { id, method } = envelope.data;
  try {
    if (!Object.hasOwn(contract, method)) throw new RpcError('not_found', `Unknown method "${method}".`);
    const spec = contract[method as MethodName];
    if (!spec.roles.includes(ctx.role)) {
      hooks.refused?.(ctx, method);
      throw new RpcError('forbidden', `${method} is not allowed for the role "${ctx.role}" (allowed: ${spec.roles.join(', ')}).`);
    }
    const refusal = 'writes' in spec && spec.writes ? (hooks.readOnly?.() ?? null) : null;
    if (refusal) throw new RpcError('forbidden', `${method} refused: Vigie is read-only (${refusal}).`);
    const params = spec.params.safeParse(envelope.data.params ?? {});
    if (!params.success) {
      throw new RpcError('bad_request', `${method}: ${params.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`);
    }
    const handler = handlers[method as MethodName] as (p: unknown, c: CallContext) => unknown;
    const result = resultForRole(ctx.role, await handler(params.data, ctx), hooks.roleView?.());
    return { t: 'res', id, ok: true, result };
  } catch (error) {
    if (error instanceof RpcError) return { t: 'res', id, ok: false, error: { code: error.code, message: error.message } };
    if (error instanceof UserError) {
      logger.info({ method, user: ctx.user, origin: ctx.origin, reason: error.message }, 'call refused: user mistake');
      return { t: 'res', id, ok: false, error: { code: 'bad_request', message: `${method}: ${error.message}` } };
    }
    // A full disk is the machine's state, not a fault of the call: say what to do.
    if (isDiskFull(error)) return { t: 'res', id, ok: false, error: { code: 'unavailable', message: `${method} could not be saved: the disk holding the Vigie profile is full. Ask IT to free space on it, then try again.` } };
    logger.error({ err: error, method, user: ctx.user, origin: ctx.origin }, 'call failed');
    return { t: 'res', id, ok: false, error: { code: 'internal', message: `${method} failed inside the data service: ${(error as Error).message}` } };
  }
}
