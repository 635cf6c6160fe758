import type { Wire, WireProject } from '../wire.js';
import type { Project, ProjectMember } from '../../domain/organisation.js';
import { RESOURCE_TYPES } from '../../domain/resources.js';
import type { Account, Domain } from '../../domain/types.js';
import type { Usage } from '../../services/identity/limit.service.js';
import { csDate } from '../encode.js';
import { limitFields } from './account.view.js';

export interface ProjectExtras {
  domain: Domain;
  account: Account | undefined;
  owners: string[];
  usage: Usage | undefined;
  vms: { running: number; stopped: number };
  /** `details` asked for the limits and counts (ProjectJoinDaoImpl: all or resource). */
  withLimits: boolean;
}

/** ProjectResponse: the project's own limits and totals are those of its account (no project-count triplet). */
export function projectView(p: Project, x: ProjectExtras): Wire<WireProject> {
  return {
    id: p.id,
    name: p.name,
    displaytext: p.displayText,
    domainid: x.domain.id,
    domain: x.domain.name,
    owner: x.owners.map((account) => ({ account })),
    projectaccountname: x.account?.name,
    state: p.state,
    created: csDate(p.created),
    tags: [],
    ...(x.withLimits
      ? {
          vmrunning: x.vms.running,
          vmstopped: x.vms.stopped,
          ...limitFields(
            x.usage,
            false,
            RESOURCE_TYPES.filter((t) => t !== 'project'),
          ),
        }
      : {}),
  };
}

/** ProjectAccountResponse, listProjectAccounts' item. */
export function projectAccountView(
  p: Project,
  m: ProjectMember,
  a: Account,
  d: Domain,
  users: object[],
): Record<string, unknown> {
  return {
    projectid: p.id,
    project: p.name,
    accountid: a.id,
    account: a.name,
    accounttype: a.type,
    role: m.role,
    domainid: d.id,
    domain: d.name,
    user: users,
    ...(m.userId ? { userid: m.userId } : {}),
    ...(m.projectRoleId ? { projectroleid: m.projectRoleId } : {}),
  };
}
