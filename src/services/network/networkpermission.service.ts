import type { Clock } from '../../domain/clock.js';
import { forbidden, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { acctText } from '../../domain/tenancy.js';
import type { Account, Network } from '../../domain/types.js';
import { accountStore } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import { networkStore } from '../../store/network.store.js';
import { networkPermissionStore, type NetworkPermissionRow } from '../../store/networkpermission.store.js';
import { projectStore } from '../../store/project.store.js';
import { assertAccess, isAdmin, isRootAdmin, memberOf, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { canAccessProject } from '../identity/scope.js';

export interface PermissionTargets {
  accountIds?: string[];
  accountNames?: string[];
  projectIds?: string[];
}

/**
 * Network permissions (NetworkPermissionServiceImpl): the owner of an isolated network, or an
 * admin over it, shares it with other accounts of its domain, which may then list it (networkfilter
 * `shared`) and place their VMs' NICs on it.
 */
export class NetworkPermissionService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  async list(caller: Caller, networkId: string): Promise<{ network: Network; rows: NetworkPermissionRow[] }> {
    const db = this.store.db;
    const network = await networkStore.get(db, networkId);
    if (!network) throw invalid(`unable to find network with id ${networkId}`, 'networkid');
    assertAccess(caller, network, 'Network', network.id);
    return { network, rows: await networkPermissionStore.ofNetwork(db, network.id) };
  }

  async create(caller: Caller, networkId: string, t: PermissionTargets): Promise<void> {
    await this.store.tx(async (trx) => {
      const network = await this.validate(trx, caller, networkId);
      const accounts = await this.targets(trx, caller, network, t);
      const now = this.clock.now();
      for (const a of accounts) {
        // The owner may use its network anyway: no row for it.
        if (a.id === network.accountId) continue;
        await networkPermissionStore.add(trx, { id: newId(), networkId: network.id, accountId: a.id, created: now });
      }
      await this.event(
        trx,
        caller,
        network,
        'NETWORK.PERMISSIONS.CREATE',
        `Shared network ${network.name} with ${accounts.length} account(s)`,
      );
    });
  }

  async remove(caller: Caller, networkId: string, t: PermissionTargets): Promise<void> {
    await this.store.tx(async (trx) => {
      const network = await this.validate(trx, caller, networkId);
      const accounts = await this.targets(trx, caller, network, t);
      await networkPermissionStore.remove(
        trx,
        network.id,
        accounts.map((a) => a.id),
      );
      await this.event(
        trx,
        caller,
        network,
        'NETWORK.PERMISSIONS.REMOVE',
        `Removed permissions of ${accounts.length} account(s) on network ${network.name}`,
      );
    });
  }

  async reset(caller: Caller, networkId: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const network = await this.validate(trx, caller, networkId);
      await networkPermissionStore.removeAll(trx, network.id);
      await this.event(
        trx,
        caller,
        network,
        'NETWORK.PERMISSIONS.RESET',
        `Reset the permissions of network ${network.name}`,
      );
    });
  }

  /** validateNetworkPermissionParameters. */
  private async validate(db: Db, caller: Caller, networkId: string): Promise<Network> {
    const network = await networkStore.get(db, networkId);
    if (!network) throw invalid(`unable to find network with id ${networkId}`, 'networkid');
    if (network.aclType === 'Domain' || !network.accountId)
      throw invalid('network is already shared in domain', 'networkid');
    if (network.vpcId) throw invalid('VPC tiers cannot be shared', 'networkid');
    assertAccess(caller, network, 'Network', network.id);
    const owner = await accountStore.accountById(db, network.accountId);
    if (owner?.type === 5)
      throw invalid(
        `Update network permissions is an invalid operation on network ${network.name}. Project owned networks cannot be shared outside network.`,
        'networkid',
      );
    if (caller.accountId !== network.accountId && !isAdmin(caller))
      throw invalid(
        `Unable to grant permission to account ${caller.accountName} as it is neither admin nor owner or the network`,
        'networkid',
      );
    return network;
  }

  /** populateAccounts: ids, projects' accounts and names, each an active account of the network's domain. */
  private async targets(db: Db, caller: Caller, network: Network, t: PermissionTargets): Promise<Account[]> {
    const ids = [...(t.accountIds ?? [])];
    for (const pid of t.projectIds ?? []) {
      const p = await projectStore.get(db, pid);
      if (!p) throw invalid(`Unable to find project by id ${pid}`, 'projectids');
      const ok =
        isRootAdmin(caller) ||
        memberOf(caller, p.projectAccountId) ||
        (isAdmin(caller) && canAccessProject(caller, p, await accountStore.domainById(db, p.domainId)));
      if (!ok)
        throw invalid(
          `Account ${acctText({ id: caller.accountId, name: caller.accountName })} can't access project id=${p.id}`,
          'projectids',
        );
      ids.push(p.projectAccountId);
    }
    for (const name of t.accountNames ?? []) {
      const a = await accountStore.accountByName(db, name, network.domainId);
      if (!a || a.state !== 'enabled') throw invalid(`Unable to find account by name ${name}`, 'accounts');
      if (a.id !== caller.accountId) ids.push(a.id);
    }
    const out: Account[] = [];
    for (const id of ids) {
      const a = await accountStore.accountById(db, id);
      if (!a || a.removed !== null || a.domainId !== network.domainId)
        throw invalid(
          `Unable to find account ${id} in domain id=${network.domainId}. No permissions is removed`,
          'accountids',
        );
      out.push(a);
    }
    return out;
  }

  private event(db: Db, caller: Caller, n: Network, type: string, description: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: n.accountId ?? caller.accountId,
      domainId: n.domainId,
      userId: caller.userId,
      resourceId: n.id,
      resourceType: 'Network',
    });
  }
}

/**
 * NetworkModel.checkNetworkPermissions for an account network: its owner, an account it is
 * shared with, or (for a project's network) a member of the project may use it.
 */
export async function mayUseNetwork(db: Db, owner: { id: string }, network: Network): Promise<boolean> {
  if (!network.accountId) return true;
  if (network.accountId === owner.id) return true;
  if (await networkPermissionStore.has(db, network.id, owner.id)) return true;
  const project = await projectStore.byAccount(db, network.accountId);
  return !!project && (await projectStore.memberships(db, project.id, owner.id)).length > 0;
}

/** checkAccess(owner, UseEntry, network) for an account network: NetworkModelImpl's UNABLE_TO_USE_NETWORK refusal. */
export async function assertMayUseNetwork(db: Db, owner: { id: string }, network: Network): Promise<void> {
  if (!(await mayUseNetwork(db, owner, network)))
    throw forbidden(`Unable to use network with id= ${network.id}, permission denied`, 'Network', network.id);
}
