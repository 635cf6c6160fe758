import { ROLE_TYPES, type RoleType } from '../domain/organisation.js';
import { decide } from '../domain/roles.js';
import { roleTypeOfAccount } from '../domain/roles.js';
import type { Services } from '../services/services.js';
import { isRootAdmin, type Caller } from '../domain/caller.js';
import type { CommandDef } from './command.js';
import { CsError } from './errors.js';
import { isUuid } from '../domain/ids.js';

/** Role types of admin commands, and of those domain admins share (the "7" of commands.properties). */
export const ADMINS: readonly RoleType[] = ['Admin', 'ResourceAdmin', 'DomainAdmin'];

/** The role types a command's annotation admits. */
export function implicitRoles(def: CommandDef): readonly RoleType[] {
  return def.authorized ?? (def.admin || def.rootAdmin ? ['Admin'] : ROLE_TYPES);
}

/** The commands the User role may call without rules: what the read-only user role is made of. */
export const userApis = (defs: readonly CommandDef[]): string[] =>
  defs.filter((d) => implicitRoles(d).includes('User')).map((d) => d.name);

/** The commands a role type may call by the built-in roles' rules: what cloning a built-in role copies. */
export const implicitApis = (defs: readonly CommandDef[], type: RoleType): string[] =>
  defs.filter((d) => implicitRoles(d).includes(type)).map((d) => d.name);

/** Roles 1-4 are the built-in ones; polystack keeps the rules 4.18 seeds them with implicit. */
const BUILT_IN_SEQ = 4;

/**
 * DynamicRoleBasedAPIAccessChecker: the built-in Root Admin role may call anything; otherwise the
 * first of the role's rules that matches decides. Without one, a built-in role follows the rules
 * CloudStack seeds it with (the command's role types here); any other role only what the command's
 * APICommand.authorized admits, so a custom role without rules can call almost nothing.
 */
export async function mayCall(services: Services, caller: Caller, def: CommandDef): Promise<boolean> {
  if (caller.roleSeq === 1 || (caller.roleSeq === undefined && isRootAdmin(caller))) return true;
  const rules = caller.roleId ? await services.roles.rulesOf(caller.roleId) : [];
  const decided = decide(rules, def.name);
  if (decided) return decided === 'allow';
  const type = caller.roleType ?? roleTypeOfAccount(caller.accountType);
  if (caller.roleSeq === undefined || caller.roleSeq <= BUILT_IN_SEQ) return implicitRoles(def).includes(type);
  return (def.annotated ?? []).includes(type);
}

/** Commands whose `id` is the project the call is made in (ApiServlet.isSpecificAPI). */
const PROJECT_BY_ID = new Set(['suspendProject', 'updateProject', 'activateProject', 'deleteProject']);

/**
 * ProjectRoleBasedApiAccessChecker, for a call made in a project (ApiServlet.setProjectContext:
 * its `projectid`, or the `id` of the project commands above): a Regular member whose project role
 * denies the command gets ApiServer's 401, an account outside the project the checker's 432.
 */
export async function projectVerdict(
  services: Services,
  caller: Caller,
  api: string,
  pairs: readonly (readonly [string, string])[],
): Promise<CsError | undefined> {
  const key = PROJECT_BY_ID.has(api) ? 'id' : 'projectid';
  const projectId = pairs.find(([k]) => k.toLowerCase() === key)?.[1];
  if (!projectId || !isUuid(projectId)) return undefined;
  const verdict = await services.projectRoles.verdict(caller, projectId, api);
  if (verdict === 'denied')
    return new CsError(401, `The given command '${api}' either does not exist, is not available for user.`, 9999);
  if (verdict === 'not-member')
    return new CsError(
      432,
      `The API [${api}] does not exist or is not available for this account/user in project [${projectId}].`,
      4555,
    );
  return undefined;
}
