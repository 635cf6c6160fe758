import type { NicSecondaryIp } from '../domain/networking.js';
import type { Db } from './db.js';
import { inChunks } from './idlist.js';

/** nic_secondary_ips: extra guest addresses on user VMs' NICs. */
export const nicIpStore = {
  async insert(db: Db, ip: NicSecondaryIp): Promise<void> {
    await db.insertInto('nicSecondaryIps').values(ip).execute();
  },
  get(db: Db, id: string): Promise<NicSecondaryIp | undefined> {
    return db.selectFrom('nicSecondaryIps').selectAll().where('id', '=', id).executeTakeFirst();
  },
  ofNics(db: Db, nicIds: string[]): Promise<NicSecondaryIp[]> {
    if (nicIds.length === 0) return Promise.resolve([]);
    return inChunks(nicIds, (ids) =>
      db
        .selectFrom('nicSecondaryIps')
        .selectAll()
        .where('nicId', 'in', ids)
        .orderBy('created')
        .orderBy('ipNum')
        .execute(),
    );
  },
  async countOfNic(db: Db, nicId: string): Promise<number> {
    const r = await db
      .selectFrom('nicSecondaryIps')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('nicId', '=', nicId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('nicSecondaryIps').where('id', '=', id).execute();
  },
  /** A NIC's address changed: the port forwarding and load balancer rules of its network that sent traffic to the old one follow it. */
  async moveRuleTargets(db: Db, networkId: string, vmId: string, oldIp: string, newIp: string): Promise<void> {
    await db
      .updateTable('portForwardingRules')
      .set({ vmGuestIp: newIp })
      .where('networkId', '=', networkId)
      .where('vmId', '=', vmId)
      .where('vmGuestIp', '=', oldIp)
      .execute();
    await db
      .updateTable('lbMembers')
      .set({ vmIp: newIp })
      .where('vmId', '=', vmId)
      .where('vmIp', '=', oldIp)
      .where('ruleId', 'in', db.selectFrom('loadBalancerRules').select('id').where('networkId', '=', networkId))
      .execute();
  },
  /** Which rule still sends traffic to a VM's guest address: a port forwarding or a load balancer rule. */
  async ruleUsing(
    db: Db,
    networkId: string,
    vmId: string,
    ip: string,
  ): Promise<'PortForwarding' | 'LoadBalancing' | undefined> {
    const pf = await db
      .selectFrom('portForwardingRules')
      .select('id')
      .where('networkId', '=', networkId)
      .where('vmId', '=', vmId)
      .where('vmGuestIp', '=', ip)
      .executeTakeFirst();
    if (pf) return 'PortForwarding';
    const lb = await db
      .selectFrom('lbMembers')
      .select('ruleId')
      .where('vmId', '=', vmId)
      .where('vmIp', '=', ip)
      .executeTakeFirst();
    return lb ? 'LoadBalancing' : undefined;
  },
};
