import type { Kysely } from 'kysely';
import { createTables, I, PK, S, SN } from './tables.js';

/**
 * Remote access VPNs (remote_access_vpn: one per public address, at most one per account and
 * network) and the accounts' VPN users (vpn_users). A firewall rule may name the rule it was opened
 * for (`relatedRuleId`, firewall_rules.related): the ingress rules a VPN opens for its UDP ports.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      remoteAccessVpns: [
        PK,
        S('publicIpId'),
        SN('networkId'),
        SN('vpcId'),
        S('accountId'),
        S('domainId'),
        S('localIp'),
        S('ipRange'),
        S('presharedKey'),
        S('state'),
        I('forDisplay'),
        I('created'),
      ],
      vpnUsers: [PK, S('accountId'), S('domainId'), S('username'), S('password'), S('state'), I('created')],
    },
    [
      ['remoteAccessVpns', 'remote_access_vpns_ip', ['publicIpId'], true],
      ['remoteAccessVpns', 'remote_access_vpns_account', ['accountId']],
      ['vpnUsers', 'vpn_users_account_name', ['accountId', 'username'], true],
    ],
  );
  await db.schema.alterTable('firewallRules').addColumn('relatedRuleId', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('firewallRules').dropColumn('relatedRuleId').execute();
  for (const t of ['remoteAccessVpns', 'vpnUsers']) await db.schema.dropTable(t).execute();
}
