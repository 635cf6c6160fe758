import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { isIpv4Cidr, isIpv6Cidr } from '../../domain/cidr.js';
import type { Account, SecurityGroup, SecurityGroupRule } from '../../domain/types.js';
import type { Db, Store } from '../../store/db.js';
import { accountStore } from '../../store/account.store.js';
import { securityGroupStore, securityGroupRows, securityGroupRuleRows } from '../../store/securitygroup.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';

/** A new account's `default` group has no rules: ingress closed, egress open. */
export function defaultGroupRules(_groupId: string, _now: number): SecurityGroupRule[] {
  return [];
}

export interface RuleRequest {
  protocol?: string;
  startPort?: number;
  endPort?: number;
  icmpType?: number;
  icmpCode?: number;
  cidrs?: string[];
  /** Group-to-group rules: account + group name pairs. */
  groups?: { account: string; group: string }[];
}

export interface GroupRef {
  id?: string;
  name?: string;
}

const PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'all']);

export class SecurityGroupService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  async createDefault(db: Db, account: Account): Promise<void> {
    const now = this.clock.now();
    const g = {
      id: newId(),
      name: 'default',
      description: 'Default Security Group',
      accountId: account.id,
      domainId: account.domainId,
      created: now,
    };
    await securityGroupRows.insert(db, g);
    for (const r of defaultGroupRules(g.id, now)) await securityGroupRuleRows.insert(db, r);
  }

  async create(
    caller: Caller,
    name: string,
    description: string | undefined,
    owner: OwnerRequest,
  ): Promise<SecurityGroup> {
    return this.store.tx(async (trx) => {
      const acct = await resolveOwner(trx, caller, owner);
      if (name.toLowerCase() === 'default') throw invalid('The security group name default is reserved', 'name');
      if (await securityGroupStore.byName(trx, acct.id, name))
        throw new DomainError(
          'InvalidParameter',
          `Unable to create security group, a group with name ${name} already exists.`,
          { param: 'name' },
        );
      const g = {
        id: newId(),
        name,
        description: description ?? null,
        accountId: acct.id,
        domainId: acct.domainId,
        created: this.clock.now(),
      };
      await securityGroupRows.insert(trx, g);
      await eventLog(trx, this.clock, {
        type: 'SG.CREATE',
        description: `Created security group ${name}`,
        accountId: acct.id,
        domainId: acct.domainId,
        userId: caller.userId,
        resourceId: g.id,
        resourceType: 'SecurityGroup',
      });
      return g;
    });
  }

  /** Finds a group by id, or by name within the owner's account. */
  async find(
    db: Db,
    caller: Caller,
    ref: GroupRef,
    owner: OwnerRequest = {},
    param = 'securitygroupid',
  ): Promise<SecurityGroup> {
    if (ref.id) {
      const g = await securityGroupStore.get(db, ref.id);
      if (!g) throw notFound('SecurityGroup', ref.id, param);
      assertAccess(caller, g, 'SecurityGroup', g.id);
      return g;
    }
    if (!ref.name) throw invalid('Either security group id or name must be specified', 'securitygroupid');
    const acct = await resolveOwner(db, caller, owner);
    const g = await securityGroupStore.byName(db, acct.id, ref.name);
    if (!g) throw invalid(`Unable to find security group by name ${ref.name}`, 'securitygroupname');
    return g;
  }

  async remove(caller: Caller, ref: GroupRef, owner: OwnerRequest = {}): Promise<void> {
    await this.store.tx(async (trx) => {
      const g = await this.find(trx, caller, ref, owner, 'id');
      if (g.name === 'default')
        throw invalid("The network group default is a default security group and can't be deleted", 'id');
      // CloudStack keeps a group other groups' rules name: removing it would leave rules over no source.
      if ((await securityGroupStore.referencing(trx, g.id)).length)
        throw new DomainError('Conflict', 'Cannot delete group when there are security rules that allow this group', {
          kind: 'SecurityGroup',
          id: g.id,
        });
      const members = await securityGroupStore.members(trx, [g.id]);
      if (members.length)
        throw new DomainError('Conflict', `Cannot delete group when it's in use by virtual machines`, {
          kind: 'SecurityGroup',
          id: g.id,
        });
      await securityGroupStore.remove(trx, g.id);
      await eventLog(trx, this.clock, {
        type: 'SG.DELETE',
        description: `Deleted security group ${g.name}`,
        accountId: g.accountId,
        domainId: g.domainId,
        userId: caller.userId,
        resourceId: g.id,
        resourceType: 'SecurityGroup',
      });
    });
  }

  /** authorizeSecurityGroupIngress/Egress: adds one rule per CIDR and per group; existing duplicates are an error. */
  async authorize(
    caller: Caller,
    ref: GroupRef,
    owner: OwnerRequest,
    direction: 'ingress' | 'egress',
    r: RuleRequest,
  ): Promise<{ group: SecurityGroup; rules: SecurityGroupRule[] }> {
    const spec = validateRule(r);
    return this.store.tx(async (trx) => {
      const g = await this.find(trx, caller, ref, owner);
      const existing = (await securityGroupStore.rulesOf(trx, [g.id])).filter((x) => x.direction === direction);
      const refs = await referencedGroups(trx, g, r.groups ?? []);
      // CloudStack refuses a rule with neither: defaulting to 0.0.0.0/0 would open the port to the world.
      if (!spec.cidrs?.length && !refs.length)
        throw invalid('At least one cidr or at least one security group needs to be specified', 'cidrlist');
      const targets: { cidr: string | null; refGroupId: string | null }[] = [
        ...(spec.cidrs ?? []).map((cidr) => ({ cidr, refGroupId: null })),
        ...refs.map((refGroupId) => ({ cidr: null, refGroupId })),
      ];
      const now = this.clock.now();
      const added: SecurityGroupRule[] = [];
      for (const t of targets) {
        const dup = existing.find(
          (x) =>
            x.protocol === spec.protocol &&
            x.startPort === spec.startPort &&
            x.endPort === spec.endPort &&
            x.icmpType === spec.icmpType &&
            x.icmpCode === spec.icmpCode &&
            x.cidr === t.cidr &&
            x.refGroupId === t.refGroupId,
        );
        if (dup)
          throw new DomainError(
            'Conflict',
            `Failed to authorize security group ${direction} rule(s): the rule already exists`,
            { kind: 'SecurityGroupRule', id: dup.id },
          );
        const rule: SecurityGroupRule = {
          id: newId(),
          securityGroupId: g.id,
          direction,
          protocol: spec.protocol,
          startPort: spec.startPort,
          endPort: spec.endPort,
          icmpType: spec.icmpType,
          icmpCode: spec.icmpCode,
          cidr: t.cidr,
          refGroupId: t.refGroupId,
          created: now,
        };
        await securityGroupRuleRows.insert(trx, rule);
        added.push(rule);
      }
      await eventLog(trx, this.clock, {
        type: direction === 'ingress' ? 'SG.AUTH.INGRESS' : 'SG.AUTH.EGRESS',
        description: `Authorized ${direction} rule(s) in ${g.name}`,
        accountId: g.accountId,
        domainId: g.domainId,
        userId: caller.userId,
        resourceId: g.id,
        resourceType: 'SecurityGroup',
      });
      return { group: g, rules: added };
    });
  }

  async revoke(caller: Caller, ruleId: string, direction: 'ingress' | 'egress'): Promise<void> {
    await this.store.tx(async (trx) => {
      const rule = await securityGroupStore.rule(trx, ruleId);
      if (!rule || rule.direction !== direction) throw notFound('SecurityGroupRule', ruleId);
      const g = await securityGroupStore.get(trx, rule.securityGroupId);
      if (!g) throw notFound('SecurityGroupRule', ruleId);
      assertAccess(caller, g, 'SecurityGroup', g.id);
      await securityGroupStore.removeRule(trx, ruleId);
      await eventLog(trx, this.clock, {
        type: direction === 'ingress' ? 'SG.REVOKE.INGRESS' : 'SG.REVOKE.EGRESS',
        description: `Revoked ${direction} rule in ${g.name}`,
        accountId: g.accountId,
        domainId: g.domainId,
        userId: caller.userId,
        resourceId: g.id,
        resourceType: 'SecurityGroup',
      });
    });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; name?: string; keyword?: string; vmId?: string },
  ): Promise<SecurityGroup[]> {
    const db = this.store.db;
    const accounts = await scopeAccounts(db, caller, scope);
    let ids: string[] | undefined = f.id ? [f.id] : undefined;
    if (f.vmId) {
      const vmGroups = await securityGroupStore.groupIdsOfVm(db, f.vmId);
      ids = ids ? ids.filter((i) => vmGroups.includes(i)) : vmGroups;
    }
    return securityGroupStore.list(db, { accountIds: accounts, ids, name: f.name, keyword: f.keyword });
  }

  /** Groups a new VM joins, checked to belong to its owner; the owner's default when none are named. */
  async forDeploy(db: Db, caller: Caller, owner: Account, ids?: string[], names?: string[]): Promise<SecurityGroup[]> {
    const out: SecurityGroup[] = [];
    for (const id of ids ?? []) {
      const g = await securityGroupStore.get(db, id);
      if (!g) throw notFound('SecurityGroup', id, 'securitygroupids');
      assertAccess(caller, g, 'SecurityGroup', id);
      if (g.accountId !== owner.id)
        throw invalid(`Security group ${g.name} does not belong to the VM's account`, 'securitygroupids');
      out.push(g);
    }
    for (const name of names ?? []) {
      const g = await securityGroupStore.byName(db, owner.id, name);
      if (!g) throw invalid(`Unable to find group by name ${name}`, 'securitygroupnames');
      out.push(g);
    }
    if (out.length === 0) {
      const g = await securityGroupStore.byName(db, owner.id, 'default');
      if (g) out.push(g);
    }
    return out;
  }
}

/**
 * The groups `usersecuritygrouplist` names, as CloudStack finds them: the account by name in the
 * domain of the rule's group (whoever the caller is), then its group by name; each at most once.
 */
async function referencedGroups(
  db: Db,
  g: SecurityGroup,
  pairs: { account: string; group: string }[],
): Promise<string[]> {
  const ids = new Set<string>();
  for (const ug of pairs) {
    if (!ug.group || !ug.account)
      throw invalid(
        "Invalid user group specified, fields 'group' and 'account' cannot be null, please specify groups in the form:  userGroupList[0].group=XXX&userGroupList[0].account=YYY",
        'usersecuritygrouplist',
      );
    const acct = await accountStore.accountByName(db, ug.account, g.domainId);
    if (!acct)
      throw invalid(
        `Nonexistent account: ${ug.account} when trying to authorize security group rule  for ${g.id}`,
        'usersecuritygrouplist',
      );
    const other = await securityGroupStore.byName(db, acct.id, ug.group);
    if (!other)
      throw invalid(
        `Nonexistent group ${ug.group} for account ${ug.account}/${g.domainId} is given, unable to authorize security group rule.`,
        'usersecuritygrouplist',
      );
    ids.add(other.id);
  }
  return [...ids];
}

function validateRule(
  r: RuleRequest,
): Pick<SecurityGroupRule, 'protocol' | 'startPort' | 'endPort' | 'icmpType' | 'icmpCode'> & { cidrs?: string[] } {
  const protocol = (r.protocol ?? 'tcp').toLowerCase();
  const numeric = /^\d+$/.test(protocol) && Number(protocol) <= 255;
  if (!PROTOCOLS.has(protocol) && !numeric) throw invalid(`Invalid protocol ${r.protocol}`, 'protocol');
  for (const c of r.cidrs ?? []) if (!isIpv4Cidr(c) && !isIpv6Cidr(c)) throw invalid(`Invalid cidr ${c}`, 'cidrlist');
  if (protocol === 'tcp' || protocol === 'udp') {
    const s = r.startPort;
    // SecurityGroupManagerImpl: the range 0-0 is all ports.
    const e = s === 0 && r.endPort === 0 ? 65535 : (r.endPort ?? r.startPort);
    if (s === undefined || e === undefined)
      throw invalid(
        `Invalid port range specified: startport and endport are required for protocol ${protocol}`,
        'startport',
      );
    if (s < 0 || s > 65535 || e < 0 || e > 65535 || s > e) throw invalid(`Invalid port range ${s}-${e}`, 'startport');
    return { protocol, startPort: s, endPort: e, icmpType: null, icmpCode: null, cidrs: r.cidrs };
  }
  if (protocol === 'icmp') {
    const t = r.icmpType ?? -1,
      c = r.icmpCode ?? -1;
    if (t < -1 || t > 255 || c < -1 || c > 255) throw invalid(`Invalid icmp type/code ${t}/${c}`, 'icmptype');
    return { protocol, startPort: null, endPort: null, icmpType: t, icmpCode: c, cidrs: r.cidrs };
  }
  return { protocol, startPort: null, endPort: null, icmpType: null, icmpCode: null, cidrs: r.cidrs };
}
