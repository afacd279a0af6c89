import type { Role } from '../../../common/domain/roles';
import type { PolicyLoad } from './machinePolicy';
import type { Policy } from './policy';

/** Who someone is to Vigie: a role and where it came from, or a refusal that says who to ask. */
export type RoleAnswer = { role: Role; from: 'machine-policy' | 'role-policy' | 'single-desk' } | { role: null; why: string };

/**
 * The one answer to "what may this person do", used by the browser-mode server, the Electron data
 * service and the CLI alike. Sources, first that has roles wins:
 * 1. the machine policy's `roles` (IT's file in /etc/vigie, %ProgramData%… — issue 8);
 * 2. the role policy file (`--policy`, $VIGIE_POLICY, `<profile>/policy.json` — issue 5);
 * 3. neither: a single-desk install, where the one person at the workstation gets `fallback`.
 * A person a deployed source does not know is refused, never given the fallback.
 */
export function roleOf(user: string, machine: PolicyLoad, file: Policy | null, fallback: Role): RoleAnswer {
  const roles = machine.status === 'applied' ? machine.policy.roles : undefined;
  if (roles) {
    const role = roles.users[user] ?? roles.default;
    return role ? { role, from: 'machine-policy' } : { role: null, why: `${user} has no role in the machine policy ${machine.path}; ask IT to add them.` };
  }
  if (file) {
    const role = file.users[user] ?? file.defaultRole;
    return role ? { role, from: 'role-policy' } : { role: null, why: `User "${user}" has no role in ${file.file}; ask IT to add them (and no defaultRole is set).` };
  }
  return { role: fallback, from: 'single-desk' };
}

/** Where roles come from on this machine, for messages ("--role cannot be used: …"); null on a single desk. */
export function roleSource(machine: PolicyLoad, file: Policy | null): string | null {
  if (machine.status === 'applied' && machine.policy.roles) return `the machine policy ${machine.path}`;
  return file ? `the role policy ${file.file}` : null;
}
