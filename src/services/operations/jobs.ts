import type { JobEngine } from '../../jobs/engine.js';
import { IP_ASSOCIATE_JOB, type NetworkService } from '../network/network.service.js';
import type { GroupRef, RuleRequest, SecurityGroupService } from '../network/securitygroup.service.js';
import type { OwnerRequest } from '../identity/owner.js';
import type { TagService } from '../tag.service.js';

/** Job kinds whose whole work is one service call; their params are what the front decoded. */
export const JOB_KINDS = {
  sgAuthorize: 'sg.authorize',
  sgRevoke: 'sg.revoke',
  tagsCreate: 'tags.create',
  tagsDelete: 'tags.delete',
  ipDisassociate: 'ip.disassociate',
} as const;

export interface SgAuthorizeParams {
  ref: GroupRef;
  owner: OwnerRequest;
  direction: 'ingress' | 'egress';
  rule: RuleRequest;
}
export interface SgRevokeParams {
  ruleId: string;
  direction: 'ingress' | 'egress';
}
export interface TagsParams {
  type: string;
  ids: string[];
  tags: { key: string; value: string }[];
  customer?: string;
}

export function registerServiceJobs(
  jobs: JobEngine,
  s: { groups: SecurityGroupService; tags: TagService; networks: NetworkService },
): void {
  jobs.register<SgAuthorizeParams>(JOB_KINDS.sgAuthorize, async ({ caller, params: p }) => {
    const { group } = await s.groups.authorize(caller, p.ref, p.owner, p.direction, p.rule);
    return { type: 'object', instanceType: 'SecurityGroup', id: group.id };
  });
  jobs.register<SgRevokeParams>(JOB_KINDS.sgRevoke, async ({ caller, params: p }) => {
    await s.groups.revoke(caller, p.ruleId, p.direction);
    return { type: 'success' };
  });
  jobs.register<TagsParams>(JOB_KINDS.tagsCreate, async ({ caller, params: p }) => {
    await s.tags.create(caller, p.type, p.ids, p.tags, p.customer);
    return { type: 'success' };
  });
  jobs.register<TagsParams>(JOB_KINDS.tagsDelete, async ({ caller, params: p }) => {
    await s.tags.remove(caller, p.type, p.ids, p.tags);
    return { type: 'success' };
  });
  // The address was claimed with the job (NetworkService.submitAssociate); the job answers it.
  jobs.register<{ id: string }>(IP_ASSOCIATE_JOB, async ({ params: p }) => ({
    type: 'object',
    instanceType: 'IpAddress',
    id: p.id,
  }));
  jobs.register<{ id: string }>(JOB_KINDS.ipDisassociate, async ({ caller, params: p }) => {
    await s.networks.disassociate(caller, p.id);
    return { type: 'success' };
  });
}
