import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../../common/contract';
import { ROLES, type Role } from '../../../common/domain/roles';
import type { RpcErrorCode } from '../../../common/rpc';
import { VigieCore } from '../core';
import { dispatch, type CallContext, type Handlers } from '../rpc';
import { paramsFor } from '../../../test/fuzz';
import { tempDir } from '../../../test/helpers';

/**
 * The standing adversarial suite (issue 14): every method of the contract, as every role, with
 * random and hostile params. Nothing crashes, nothing answers `internal` (a user's mistake is
 * bad_request with a sentence), and a role the contract does not allow never reaches a handler.
 * VIGIE_FUZZ_RUNS raises the number of runs per method for a longer hunt.
 */
const RUNS = Number(process.env.VIGIE_FUZZ_RUNS ?? 20);
/** A backtest over the cache's weeks takes seconds even on an empty cache: fewer runs keep the suite near a minute. */
const HEAVY: Partial<Record<string, number>> = { 'forecasts.runCheck': 2 };
const EXPECTED: readonly RpcErrorCode[] = ['bad_request', 'forbidden', 'not_found', 'unavailable'];
const METHODS = Object.keys(contract) as MethodName[];
type Reply = { ok: boolean; result?: unknown; error?: { code: RpcErrorCode; message: string } };

let core: VigieCore;
let profile: string;

beforeAll(() => {
  profile = tempDir();
  core = new VigieCore(profile, { profileDir: profile, demo: false, policyFile: path.join(profile, 'no-policy.json') });
});
afterAll(async () => {
  await core.close();
});

const ctx = (role: Role): CallContext => ({ user: `fuzz.${role}`, role, origin: 'fuzz' });

async function call(handlers: Handlers, method: string, params: unknown, role: Role): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${method} as ${role} did not answer within 30 s`)), 30_000)));
  try {
    return (await Promise.race([dispatch(handlers, { t: 'req', id: 1, method, params }, ctx(role), core.dispatchHooks), timeout])) as Reply;
  } finally {
    clearTimeout(timer);
  }
}

describe('the role matrix, generated from the contract', () => {
  it('a role the contract does not list gets forbidden and never reaches the handler; a listed role does', async () => {
    const reached: string[] = [];
    const tripwire = new Proxy({} as Handlers, {
      get: (_t, method: string) => () => {
        reached.push(method);
        return null;
      },
    });
    let refused = 0;
    for (const method of METHODS) {
      for (const role of ROLES) {
        reached.length = 0;
        const reply = await call(tripwire, method, {}, role);
        if (contract[method].roles.includes(role)) {
          expect(reply.error?.code, `${method} as ${role}`).not.toBe('forbidden');
        } else {
          refused++;
          expect(reply, `${method} as ${role}`).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining(`not allowed for the role "${role}"`) } });
          expect(reached, `${method} as ${role} reached its handler`).toEqual([]);
        }
      }
    }
    // Auditors only read the journal; operators never reach IT's or the supervisor's methods.
    expect(refused).toBeGreaterThan(METHODS.length);
    expect(contract['audit.export'].roles).toEqual(['auditor']);
  });
});

describe('every method, as every role, with random and hostile params', () => {
  it(
    'never crashes, never answers internal, always explains a refusal',
    async () => {
      const failures: string[] = [];
      const slow: string[] = [];
      for (const method of METHODS) {
        const started = performance.now();
        // Every method is tried even when one fails, so one run lists everything to fix.
        await fc
          .assert(
          fc.asyncProperty(fc.constantFrom(...ROLES), paramsFor(contract[method].params), async (role, params) => {
            const reply = await call(core.api, method, params, role);
            expect(reply, `${method} gave no answer`).toBeTruthy();
            if (reply.ok) return;
            const { code, message } = reply.error!;
            if (!contract[method].roles.includes(role)) expect(code).toBe('forbidden');
            expect(EXPECTED, `${method} as ${role} answered ${code}: ${message.slice(0, 300)}`).toContain(code);
            expect(message.length).toBeGreaterThan(10);
          }),
          { numRuns: HEAVY[method] ?? RUNS, ...(process.env.VIGIE_FUZZ_SEED ? { seed: Number(process.env.VIGIE_FUZZ_SEED) } : {}) },
          )
          .catch((error: Error) => failures.push(`${method}: ${error.message.split('\n').slice(0, 4).join(' | ').slice(0, 600)}`));
        const ms = performance.now() - started;
        if (ms > 1000) slow.push(`${method} ${Math.round(ms)} ms`);
      }
      if (slow.length) console.log(`slowest methods under fuzz: ${slow.join(', ')}`);
      expect(failures).toEqual([]);
      // No params reached Object.prototype.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // And the service still answers normally after all of it.
      expect(await call(core.api, 'session.whoami', {}, 'operator')).toMatchObject({ ok: true });
      expect(fs.existsSync(path.join(profile, 'vigie.sqlite'))).toBe(true);
    },
    240_000,
  );
});
