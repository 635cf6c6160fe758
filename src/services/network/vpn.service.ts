import { offersService } from '../../domain/netoffering.js';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { intToIp } from '../../domain/net.js';
import type { FirewallRule } from '../../domain/networking.js';
import type { PublicIp } from '../../domain/types.js';
import { checkClientRange, guestSpan, VPN_PORTS, type RemoteAccessVpn } from '../../domain/vpn.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { firewallStore } from '../../store/firewall.store.js';
import { ruleSpansOnIp } from '../../store/iprules.store.js';
import { networkStore } from '../../store/network.store.js';
import { vpcStore } from '../../store/vpc.store.js';
import { vpnStore } from '../../store/vpn.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { eventLog } from '../operations/events.js';
import { assertNoConflict, span } from './firewall.service.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const VPN_JOBS = { start: 'vpn.start', destroy: 'vpn.destroy', update: 'vpn.update' } as const;

export interface NewRemoteAccessVpn {
  ipId: string;
  ipRange?: string;
  /** Open the VPN's UDP ports to everyone with ingress firewall rules (createRemoteAccessVpn's default). */
  openFirewall: boolean;
  forDisplay?: boolean;
}

/** RemoteAccessVpnManagerImpl: L2TP/IPsec VPNs on public addresses of isolated networks and VPCs. */
export class RemoteAccessVpnService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(VPN_JOBS.start, async ({ caller, params }) => {
      await this.store.tx(async (trx) => {
        const vpn = await vpnStore.get(trx, params.id);
        if (!vpn) throw invalid(`Unable to find your vpn: ${params.id}`);
        // The firewall rules opened for the VPN's ports are applied with it.
        for (const r of await this.openedFor(trx, vpn.publicIpId))
          if (r.state === 'Add') await firewallStore.setState(trx, r.id, 'Active');
        if (vpn.state === 'Running') return;
        await vpnStore.update(trx, vpn.id, { state: 'Running' });
        await this.event(trx, caller, vpn, 'VPN.REMOTE.ACCESS.CREATE', 'Created');
      });
      return { type: 'object', instanceType: 'RemoteAccessVpn', id: params.id };
    });
    jobs.register<{ ipId: string }>(VPN_JOBS.destroy, async ({ caller, params }) => {
      await this.store.tx(async (trx) => {
        const vpn = await vpnStore.onIp(trx, params.ipId);
        if (!vpn) return; // nothing (left) to remove: CloudStack answers success
        assertAccess(caller, vpn, 'RemoteAccessVpn', vpn.id);
        await this.removeVpn(trx, vpn);
        await this.event(trx, caller, vpn, 'VPN.REMOTE.ACCESS.DESTROY', 'Removed');
      });
      return { type: 'success' };
    });
    jobs.register<{ id: string; forDisplay?: boolean }>(VPN_JOBS.update, async ({ caller, params }) => {
      await this.store.tx(async (trx) => {
        const vpn = await vpnStore.get(trx, params.id);
        if (!vpn) throw invalid(`Can't find remote access vpn by id ${params.id}`);
        if (params.forDisplay !== undefined)
          await vpnStore.update(trx, vpn.id, { forDisplay: params.forDisplay ? 1 : 0 });
        await this.event(trx, caller, vpn, 'VPN.REMOTE.ACCESS.UPDATE', 'Updated');
      });
      return { type: 'object', instanceType: 'RemoteAccessVpn', id: params.id };
    });
  }

  /**
   * createRemoteAccessVpn's create phase: the VPN in state Added, the UDP ports it reserves on its
   * address (and, with openFirewall, ingress rules opening them), and the job that starts it.
   */
  async create(caller: Caller, r: NewRemoteAccessVpn, cmd: string): Promise<{ vpn: RemoteAccessVpn; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const ip = await networkStore.getPublicIp(trx, r.ipId);
      if (!ip || ip.state === 'Free' || !ip.accountId)
        throw invalid(`Unable to create remote access VPN, invalid public IP address {"id": ${r.ipId}}.`, 'publicipid');
      assertAccess(caller, ip, 'PublicIpAddress', ip.id);
      if (ip.state !== 'Allocated')
        throw invalid(`The Ip address is not ready to be used yet: ${ip.address}`, 'publicipid');
      const vpcId = ip.vpcId ?? null;
      // A VPC's source NAT address belongs to no tier: its router opens the ports itself.
      const openFirewall = vpcId && ip.isSourceNat ? false : r.openFirewall;
      if (!ip.networkId && !vpcId)
        throw invalid(
          `Unable to create remote access vpn for the ipAddress: ${ip.address} as ip is not associated with any network or VPC`,
          'publicipid',
        );
      const existing = await vpnStore.onIp(trx, ip.id);
      if (existing) {
        if (existing.state === 'Added') return { vpn: existing, fresh: false };
        throw invalid(`A remote Access VPN already exists for the public IP address [${ip.address}].`, 'publicipid');
      }
      const range =
        r.ipRange ??
        (await this.config.valueIn(trx, 'remote.access.vpn.client.iprange', { scope: 'Account', id: ip.accountId })) ??
        '10.1.2.1-10.1.2.8';
      const [start, end] = checkClientRange(range);
      const guestCidr = await this.guestCidr(trx, ip);
      if (guestCidr) {
        const [first, last] = guestSpan(guestCidr);
        if (start <= last && first <= end)
          throw invalid(
            `Invalid ip range: ${range} overlaps with guest ip range ${intToIp(first)}-${intToIp(last)}`,
            'iprange',
          );
      }
      const vpn: RemoteAccessVpn = {
        id: newId(),
        publicIpId: ip.id,
        networkId: ip.networkId,
        vpcId,
        accountId: ip.accountId,
        domainId: ip.domainId!,
        localIp: intToIp(start),
        ipRange: `${intToIp(start + 1)}-${intToIp(end)}`,
        presharedKey: this.presharedKey(),
        state: 'Added',
        forDisplay: r.forDisplay === false ? 0 : 1,
        created: this.clock.now(),
      };
      if (!vpcId) await this.reservePorts(trx, ip, openFirewall);
      await vpnStore.insert(trx, vpn);
      return { vpn, fresh: true };
    });
    const jobId = await this.jobs.run(caller, {
      cmd,
      kind: VPN_JOBS.start,
      params: { id: out.vpn.id },
      instanceType: 'RemoteAccessVpn',
      instanceId: out.vpn.id,
    });
    return { vpn: out.vpn, jobId };
  }

  /** deleteRemoteAccessVpn: the address must carry a VPN when asked; the job removes it with its port rules. */
  async destroy(caller: Caller, ipId: string, cmd: string): Promise<string> {
    const vpn = await vpnStore.onIp(this.store.db, ipId);
    if (!vpn) throw invalid('The specified public ip is not allocated to any Account', 'publicipid');
    return this.jobs.run(caller, {
      cmd,
      kind: VPN_JOBS.destroy,
      params: { ipId },
      instanceType: 'IpAddress',
      instanceId: ipId,
    });
  }

  async update(caller: Caller, id: string, forDisplay: boolean | undefined, cmd: string): Promise<string> {
    const vpn = await vpnStore.get(this.store.db, id);
    if (!vpn) throw notFound('RemoteAccessVpn', id);
    assertAccess(caller, vpn, 'RemoteAccessVpn', id);
    return this.jobs.run(caller, {
      cmd,
      kind: VPN_JOBS.update,
      params: { id, forDisplay },
      instanceType: 'RemoteAccessVpn',
      instanceId: id,
    });
  }

  find(id: string): Promise<RemoteAccessVpn | undefined> {
    return vpnStore.get(this.store.db, id);
  }

  /** listRemoteAccessVpns: the Running VPNs the caller may see; a named address must be the caller's to see. */
  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; ipId?: string; networkId?: string },
  ): Promise<RemoteAccessVpn[]> {
    if (f.ipId) {
      const ip = await networkStore.getPublicIp(this.store.db, f.ipId);
      if (!ip) throw invalid(`Unable to list remote access vpns, IP address ${f.ipId} not found.`, 'publicipid');
      if (!ip.accountId)
        throw invalid(
          `Unable to list remote access vpns, IP address ${f.ipId} is not associated with an account.`,
          'publicipid',
        );
      assertAccess(caller, ip, 'PublicIpAddress', ip.id);
    }
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return vpnStore.list(this.store.db, { ...f, accountIds: accounts });
  }

  /** The guest addresses a client range must stay clear of: the network's, or the VPC's for its source NAT address. */
  private async guestCidr(db: Db, ip: PublicIp): Promise<string | null> {
    if (ip.networkId) {
      const net = await networkStore.get(db, ip.networkId);
      if (!net) throw notFound('Network', ip.networkId, 'publicipid');
      const accountId = ip.accountId!;
      const other = await vpnStore.ofAccountInNetwork(db, accountId, net.id);
      if (other) throw invalid(`A remote access VPN already exists for the account [${accountId}].`, 'publicipid');
      const o = await networkStore.offering(db, net.networkOfferingId);
      if (!offersService(o, 'Vpn')) throw invalid(`Vpn service is not supported in network id=${net.id}`, 'publicipid');
      return net.cidr;
    }
    return (await vpcStore.get(db, ip.vpcId!))?.cidr ?? null;
  }

  /** RulesManagerImpl.reservePorts: a Vpn rule per UDP port, checked against the address's other rules, each with its opening firewall rule. */
  private async reservePorts(db: Db, ip: PublicIp, openFirewall: boolean): Promise<void> {
    const base = {
      trafficType: 'Ingress' as const,
      publicIpId: ip.id,
      networkId: ip.networkId!,
      protocol: 'udp',
      icmpType: null,
      icmpCode: null,
      destCidrList: null,
      accountId: ip.accountId!,
      domainId: ip.domainId!,
    };
    for (const port of VPN_PORTS) {
      const rule: FirewallRule = {
        ...base,
        id: newId(),
        purpose: 'Vpn',
        startPort: port,
        endPort: port,
        cidrList: '',
        state: 'Active',
        created: this.clock.now(),
      };
      assertNoConflict({ ...span(rule), purpose: 'Vpn' }, await ruleSpansOnIp(db, ip.id), ip.id);
      await firewallStore.insert(db, rule);
      if (!openFirewall) continue;
      // FirewallManagerImpl.createRuleForAllCidrs: an ingress rule already opening exactly this port serves.
      const open = (await firewallStore.onIp(db, ip.id, 'Firewall')).find(
        (f) => f.protocol === 'udp' && f.startPort === port && f.endPort === port,
      );
      if (open) continue;
      const fw: FirewallRule = {
        ...base,
        id: newId(),
        purpose: 'Firewall',
        startPort: port,
        endPort: port,
        cidrList: '0.0.0.0/0',
        state: 'Add',
        relatedRuleId: rule.id,
        created: this.clock.now(),
      };
      assertNoConflict(span(fw), await ruleSpansOnIp(db, ip.id), ip.id);
      await firewallStore.insert(db, fw);
    }
  }

  /** The ingress firewall rules opened for the VPN port rules on an address. */
  private async openedFor(db: Db, ipId: string): Promise<FirewallRule[]> {
    const vpnRules = new Set((await firewallStore.onIp(db, ipId, 'Vpn')).map((r) => r.id));
    return (await firewallStore.onIp(db, ipId, 'Firewall')).filter(
      (r) => r.relatedRuleId && vpnRules.has(r.relatedRuleId),
    );
  }

  /** destroyRemoteAccessVpnForIp's clean-up: the VPN, its port rules and the firewall rules opened for them. */
  private async removeVpn(db: Db, vpn: RemoteAccessVpn): Promise<void> {
    for (const r of await this.openedFor(db, vpn.publicIpId)) await firewallStore.remove(db, r.id);
    await firewallStore.removeForIp(db, vpn.publicIpId, 'Vpn');
    await vpnStore.remove(db, vpn.id);
  }

  /** The commands' events name the VPN's address (their ApiResourceType is IpAddress). */
  private event(db: Db, caller: Caller, vpn: RemoteAccessVpn, type: string, verb: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description: `${verb} remote access vpn ${vpn.id}`,
      accountId: vpn.accountId,
      domainId: vpn.domainId,
      userId: caller.userId,
      resourceId: vpn.publicIpId,
      resourceType: 'IpAddress',
    });
  }

  /** PasswordGenerator.generatePresharedKey: `remote.access.vpn.psk.length` characters of base64 from random bytes. */
  private presharedKey(): string {
    const n = Math.min(256, Math.max(8, this.config.num('remote.access.vpn.psk.length', 24)));
    return randomBytes(n).toString('base64').slice(0, n);
  }
}
