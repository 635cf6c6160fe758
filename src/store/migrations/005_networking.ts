import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S, SN, type Col, type Index } from './tables.js';

/** Advanced networking: routers, firewall/static NAT rules, load balancers, VPCs and network ACLs. */
const TABLES: Record<string, Col[]> = {
  routers: [
    PK,
    I('seq'),
    S('name'),
    S('zoneId'),
    SN('networkId'),
    SN('vpcId'),
    S('accountId'),
    S('domainId'),
    S('state'),
    SN('hostId'),
    SN('podId'),
    SN('publicIp'),
    SN('guestIp'),
    S('linkLocalIp'),
    I('created'),
    IN('removed'),
  ],
  firewallRules: [
    PK,
    S('purpose'),
    S('trafficType'),
    SN('publicIpId'),
    S('networkId'),
    S('protocol'),
    IN('startPort'),
    IN('endPort'),
    IN('icmpType'),
    IN('icmpCode'),
    S('cidrList'),
    SN('destCidrList'),
    S('state'),
    S('accountId'),
    S('domainId'),
    I('created'),
  ],
  loadBalancerRules: [
    PK,
    S('name'),
    SN('description'),
    S('publicIpId'),
    S('networkId'),
    I('publicPort'),
    I('privatePort'),
    S('algorithm'),
    S('protocol'),
    SN('cidrList'),
    S('state'),
    S('accountId'),
    S('domainId'),
    I('created'),
  ],
  lbMembers: [S('ruleId'), S('vmId'), S('vmIp')],
  vpcOfferings: [PK, S('name'), S('displayText'), S('state'), I('isDefault'), S('services'), I('created')],
  vpcs: [
    PK,
    S('name'),
    S('displayText'),
    S('zoneId'),
    S('cidr'),
    S('vpcOfferingId'),
    S('state'),
    S('networkDomain'),
    S('accountId'),
    S('domainId'),
    I('restartRequired'),
    I('created'),
    IN('removed'),
  ],
  networkAcls: [PK, S('name'), SN('description'), SN('vpcId'), SN('accountId'), SN('domainId'), I('created')],
  networkAclItems: [
    PK,
    S('aclId'),
    I('number'),
    S('protocol'),
    IN('startPort'),
    IN('endPort'),
    IN('icmpType'),
    IN('icmpCode'),
    S('cidrList'),
    S('action'),
    S('trafficType'),
    SN('reason'),
    S('state'),
    SN('accountId'),
    SN('domainId'),
    I('created'),
  ],
};

const INDEXES: Index[] = [
  ['routers', 'routers_network', ['networkId']],
  ['routers', 'routers_vpc', ['vpcId']],
  ['firewallRules', 'fw_rules_ip', ['publicIpId']],
  ['firewallRules', 'fw_rules_network', ['networkId']],
  ['loadBalancerRules', 'lb_rules_ip', ['publicIpId']],
  ['lbMembers', 'lb_members_pair', ['ruleId', 'vmId', 'vmIp'], true],
  ['lbMembers', 'lb_members_vm', ['vmId']],
  ['vpcs', 'vpcs_account', ['accountId']],
  ['networkAclItems', 'acl_items_acl', ['aclId']],
  // Two items of one list cannot share a number: the rule order is what an ACL means.
  ['networkAclItems', 'acl_items_number', ['aclId', 'number'], true],
];

export async function up(db: Kysely<any>): Promise<void> {
  await createTables(db, TABLES, INDEXES);
  // A VPC tier and its ACL list; a public address acquired for a VPC.
  await db.schema.alterTable('networks').addColumn('vpcId', 'text').execute();
  await db.schema.alterTable('networks').addColumn('aclId', 'text').execute();
  await db.schema.alterTable('publicIps').addColumn('vpcId', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('publicIps').dropColumn('vpcId').execute();
  await db.schema.alterTable('networks').dropColumn('aclId').execute();
  await db.schema.alterTable('networks').dropColumn('vpcId').execute();
  for (const table of Object.keys(TABLES).reverse()) await db.schema.dropTable(table).execute();
}
