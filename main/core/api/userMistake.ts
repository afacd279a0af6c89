import { RpcError, type RpcErrorCode } from '../../../common/rpc';

/**
 * Runs a handler's work; a plain Error thrown by a rule the request broke (no such feed, an
 * invalid feed, not a sandbox) is answered as `code` with its sentence instead of `internal`.
 * System errors (an errno `code`, such as ENOSPC or SQLITE_FULL) stay internal: they are not the
 * caller's doing.
 */
export async function asUserMistake<T>(work: () => T | Promise<T>, code: RpcErrorCode | ((error: Error) => RpcErrorCode) = 'bad_request'): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RpcError || !(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code === 'string') throw error;
    throw new RpcError(typeof code === 'function' ? code(error) : code, error.message);
  }
}
