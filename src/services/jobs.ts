import type { JobEngine } from '../jobs/engine.js';
import type { NetworkService } from './network.service.js';
import type { GroupRef, RuleRequest, SecurityGroupService } from './securitygroup.service.js';
import type { OwnerRequest } from './owner.js';
import type { TagService } from './tag.service.js';

/** Job kinds whose whole work is one service call; their params are what the front decoded. */
export const JOB_KINDS = {
  sgAuthorize: 'sg.authorize',
  sgRevoke: 'sg.revoke',
  tagsCreate: 'tags.create',
  tagsDelete: 'tags.delete',
  ipAssociate: 'ip.associate',
  ipDisassociate: 'ip.disassociate',
} as const;

export interface SgAuthorizeParams { ref: GroupRef; owner: OwnerRequest; direction: 'ingress' | 'egress'; rule: RuleRequest }
export interface SgRevokeParams { ruleId: string; direction: 'ingress' | 'egress' }
export interface TagsParams { type: string; ids: string[]; tags: { key: string; value: string }[]; customer?: string }
export interface IpAssociateParams { networkId?: string; zoneId?: string; vpcId?: string; ipAddress?: string }

export function registerServiceJobs(jobs: JobEngine, s: { groups: SecurityGroupService; tags: TagService; networks: NetworkService }): void {
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
  jobs.register<IpAssociateParams>(JOB_KINDS.ipAssociate, async ({ caller, params: p }) => {
    const ip = await s.networks.associate(caller, p);
    return { type: 'object', instanceType: 'IpAddress', id: ip.id };
  });
  jobs.register<{ id: string }>(JOB_KINDS.ipDisassociate, async ({ caller, params: p }) => {
    await s.networks.disassociate(caller, p.id);
    return { type: 'success' };
  });
}
