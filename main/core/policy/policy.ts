import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Role } from '../../../common/domain/roles';

/**
 * The role policy IT deploys: who may do what. JSON, for example
 *
 *   {
 *     "version": 1,
 *     "users": { "jdupont": "supervisor", "amartin": "operator", "audit.cnil": "auditor" },
 *     "defaultRole": null
 *   }
 *
 * `users` maps a login (the OS user under Electron, the token's user in browser mode) to one
 * role; `defaultRole` is the role of anyone not listed, or null (the default) to refuse them.
 * Where it is looked for, first found wins: `--policy FILE`, $VIGIE_POLICY, `<profile>/policy.json`.
 * With no policy file at all, Vigie runs as a single-desk install (the `--role` of `vigie serve`,
 * supervisor by default); a deployed file always wins over that flag.
 */
export const PolicyFile = z.strictObject({
  version: z.literal(1),
  users: z.record(z.string().min(1).max(200), Role),
  defaultRole: Role.nullable().default(null),
  /** `vigie serve --user NAME` may name someone other than the OS user (a shared kiosk IT set up); off by default. */
  allowUserFlag: z.boolean().default(false),
});
export type Policy = z.infer<typeof PolicyFile> & { file: string };

export class PolicyError extends Error {
  override name = 'PolicyError';
}

export function policyPath(profileDir: string, explicit?: string): string | null {
  const candidates = [explicit, process.env.VIGIE_POLICY, path.join(profileDir, 'policy.json')];
  for (const c of candidates) {
    if (c && (c === explicit || fs.existsSync(c))) return path.resolve(c);
  }
  return null;
}

/** Reads and checks the policy; a broken file is an error that names the file and the field, never a silent default. */
export function loadPolicy(profileDir: string, explicit?: string): Policy | null {
  const file = policyPath(profileDir, explicit);
  if (!file) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PolicyError(`Role policy ${file} cannot be read: ${(error as Error).message}. Fix the file (JSON, see main/core/policy/policy.ts) or remove it.`);
  }
  const parsed = PolicyFile.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new PolicyError(`Role policy ${file} is not valid: ${issues}. Roles are ${Role.options.join(', ')}.`);
  }
  return { ...parsed.data, file };
}

/** The user's role, or an error that says who to ask. */
export function roleFor(policy: Policy, user: string): Role {
  const role = policy.users[user] ?? policy.defaultRole;
  if (!role) throw new PolicyError(`User "${user}" has no role in ${policy.file}; ask IT to add them (and no defaultRole is set).`);
  return role;
}
