import type { Kysely, CreateTableBuilder } from 'kysely';
import { dialectOf } from '../dialect.js';

type Col = [name: string, type: 'text' | 'integer' | 'bigint', opts?: 'pk' | 'notnull' | 'null'];

const S = (n: string): Col => [n, 'text', 'notnull'];
const SN = (n: string): Col => [n, 'text', 'null'];
const I = (n: string): Col => [n, 'bigint', 'notnull'];
const IN = (n: string): Col => [n, 'bigint', 'null'];
const PK: Col = ['id', 'text', 'pk'];

/** Every table, declared once; the same list creates SQLite and PostgreSQL schemas. */
const TABLES: Record<string, Col[]> = {
  domains: [PK, S('name'), S('path'), SN('parentId'), I('level'), S('state'), I('created')],
  accounts: [PK, S('name'), I('type'), S('domainId'), S('state'), I('created'), IN('removed')],
  users: [PK, S('accountId'), S('username'), S('passwordHash'), S('firstname'), S('lastname'), SN('email'), SN('apiKey'), SN('secretKey'), S('state'), I('created'), SN('timezone'), IN('removed')],
  sessions: [PK, S('sessionKey'), S('userId'), I('created'), I('lastAccess')],
  zones: [PK, S('name'), SN('description'), S('networkType'), I('securityGroupsEnabled'), I('localStorageEnabled'), SN('dns1'), SN('dns2'), SN('internalDns1'), SN('internalDns2'), SN('guestCidr'), SN('networkDomain'), S('allocationState'), IN('guestVlanStart'), IN('guestVlanEnd'), I('created')],
  pods: [PK, S('zoneId'), S('name'), S('gateway'), S('netmask'), S('startIp'), S('endIp'), S('allocationState'), I('created')],
  clusters: [PK, S('zoneId'), S('podId'), S('name'), S('hypervisor'), S('clusterType'), S('allocationState'), I('created')],
  hosts: [PK, S('zoneId'), S('podId'), S('clusterId'), S('name'), S('url'), S('ipAddress'), S('type'), I('cpuNumber'), I('cpuSpeed'), I('memory'), I('cpuUsed'), I('memoryUsed'), S('state'), S('resourceState'), I('created'), I('lastPinged')],
  storagePools: [PK, S('zoneId'), SN('podId'), SN('clusterId'), S('name'), S('url'), S('scope'), I('capacityBytes'), I('usedBytes'), S('state'), I('created')],
  imageStores: [PK, S('zoneId'), S('name'), S('url'), S('provider'), I('created')],
  physicalNetworks: [PK, S('zoneId'), S('name'), SN('vlan'), S('isolationMethods'), S('broadcastDomainRange'), S('state'), S('trafficTypes'), I('created')],
  vlanRanges: [PK, S('zoneId'), SN('podId'), SN('networkId'), S('vlan'), S('gateway'), S('netmask'), S('startIp'), S('endIp'), I('forVirtualNetwork'), I('created')],
  publicIps: [PK, S('zoneId'), S('vlanRangeId'), S('address'), I('addressNum'), S('state'), SN('accountId'), SN('domainId'), SN('networkId'), I('isSourceNat'), SN('vmId'), IN('allocated')],
  guestVlans: [S('zoneId'), I('vlan'), S('networkId')],
  serviceOfferings: [PK, S('name'), S('displayText'), I('cpuNumber'), I('cpuSpeed'), I('memory'), S('storageType'), I('offerHa'), I('limitCpuUse'), I('isSystem'), I('isCustomized'), IN('rootDiskSize'), S('state'), I('created')],
  diskOfferings: [PK, S('name'), S('displayText'), I('diskSize'), I('isCustomized'), S('storageType'), S('state'), I('created')],
  networkOfferings: [PK, S('name'), S('displayText'), S('guestIpType'), S('trafficType'), S('state'), S('availability'), I('isDefault'), I('specifyVlan'), I('specifyIpRanges'), I('conserveMode'), I('egressDefaultPolicy'), I('forVpc'), S('services'), I('created')],
  osTypes: [PK, S('description'), S('categoryId'), S('categoryName')],
  templates: [PK, I('seq'), S('name'), S('displayText'), I('isPublic'), I('isFeatured'), I('isReady'), S('format'), S('hypervisor'), S('osTypeId'), SN('zoneId'), S('templateType'), I('passwordEnabled'), I('sshKeyEnabled'), I('size'), S('accountId'), S('domainId'), I('bootable'), I('crossZones'), I('isIso'), SN('url'), I('created'), IN('removed')],
  networks: [PK, S('zoneId'), S('name'), S('displayText'), S('type'), S('state'), SN('cidr'), SN('gateway'), SN('netmask'), SN('vlan'), S('networkOfferingId'), SN('physicalNetworkId'), SN('accountId'), S('domainId'), S('aclType'), I('isDefault'), SN('networkDomain'), I('created'), IN('removed')],
  vms: [PK, I('seq'), S('name'), S('displayName'), S('instanceName'), S('accountId'), S('domainId'), S('userId'), S('zoneId'), SN('podId'), SN('clusterId'), SN('hostId'), SN('lastHostId'), S('templateId'), S('serviceOfferingId'), I('cpuNumber'), I('cpuSpeed'), I('memory'), S('state'), I('haEnable'), SN('userData'), SN('keyPairs'), SN('password'), SN('groupName'), I('created'), I('updated'), IN('destroyedAt'), IN('removed')],
  nics: [PK, S('vmId'), S('networkId'), S('ipAddress'), I('ipNum'), S('netmask'), S('gateway'), S('macAddress'), I('isDefault'), I('deviceId'), SN('broadcastUri'), IN('removed')],
  volumes: [PK, I('seq'), S('name'), SN('vmId'), S('type'), S('state'), I('size'), S('zoneId'), SN('poolId'), SN('diskOfferingId'), SN('templateId'), S('accountId'), S('domainId'), IN('deviceId'), I('created'), IN('attached'), IN('removed')],
  securityGroups: [PK, S('name'), SN('description'), S('accountId'), S('domainId'), I('created')],
  securityGroupRules: [PK, S('securityGroupId'), S('direction'), S('protocol'), IN('startPort'), IN('endPort'), IN('icmpType'), IN('icmpCode'), SN('cidr'), SN('refGroupId'), I('created')],
  vmSecurityGroups: [S('vmId'), S('securityGroupId')],
  sshKeyPairs: [PK, S('name'), S('fingerprint'), S('publicKey'), S('accountId'), S('domainId'), I('created')],
  tags: [PK, S('key'), S('value'), S('resourceType'), S('resourceId'), S('accountId'), S('domainId'), SN('customer')],
  events: [PK, S('type'), S('level'), S('description'), S('state'), S('accountId'), SN('userId'), S('domainId'), SN('resourceId'), SN('resourceType'), I('created')],
  jobs: [PK, S('accountId'), S('userId'), S('domainId'), S('cmd'), S('kind'), S('params'), I('status'), I('resultCode'), SN('result'), SN('instanceType'), SN('instanceId'), I('created'), IN('completed'), SN('owner'), IN('heartbeat')],
  configurations: [['name', 'text', 'pk'], SN('value'), S('category'), S('description'), S('scope')],
  simulatorMocks: [['id', 'integer', 'pk'], S('name'), S('value'), SN('zoneId'), SN('podId'), SN('clusterId'), SN('hostId'), IN('count'), SN('jsonResponse'), IN('removed')],
  sequences: [['name', 'text', 'pk'], I('value')],
};

/** Uniqueness is what keeps allocation race-free: two writers cannot both win these. */
const UNIQUE: [table: string, name: string, cols: string[]][] = [
  ['users', 'users_api_key', ['apiKey']],
  ['publicIps', 'public_ips_address', ['zoneId', 'address']],
  ['guestVlans', 'guest_vlans_vlan', ['zoneId', 'vlan']],
  ['vmSecurityGroups', 'vm_sg_pair', ['vmId', 'securityGroupId']],
  ['sshKeyPairs', 'ssh_keypairs_name', ['accountId', 'name']],
  ['securityGroups', 'security_groups_name', ['accountId', 'name']],
  ['tags', 'tags_resource_key', ['resourceId', 'key']],
  ['sessions', 'sessions_key', ['sessionKey']],
];

const INDEXES: [table: string, name: string, cols: string[]][] = [
  ['vms', 'vms_account', ['accountId']],
  ['vms', 'vms_host', ['hostId']],
  ['nics', 'nics_vm', ['vmId']],
  ['nics', 'nics_network_ip', ['networkId', 'ipNum']],
  ['volumes', 'volumes_vm', ['vmId']],
  ['securityGroupRules', 'sg_rules_group', ['securityGroupId']],
  ['jobs', 'jobs_status', ['status']],
  ['tags', 'tags_resource', ['resourceId']],
  ['events', 'events_account', ['accountId']],
  ['publicIps', 'public_ips_state', ['zoneId', 'state']],
];

export async function up(db: Kysely<any>): Promise<void> {
  // An integer primary key numbers itself in SQLite (it is the rowid); PostgreSQL needs serial for that.
  const counter = dialectOf(db) === 'postgres' ? 'serial' : 'integer';
  for (const [table, cols] of Object.entries(TABLES)) {
    let t: CreateTableBuilder<string, string> = db.schema.createTable(table);
    for (const [name, type, opt] of cols) {
      t = t.addColumn(name, type === 'integer' && opt === 'pk' ? counter : type, (c) => (opt === 'pk' ? c.primaryKey() : opt === 'null' ? c : c.notNull()));
    }
    await t.execute();
  }
  for (const [table, name, cols] of UNIQUE) await db.schema.createIndex(name).unique().on(table).columns(cols).execute();
  for (const [table, name, cols] of INDEXES) await db.schema.createIndex(name).on(table).columns(cols).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of Object.keys(TABLES).reverse()) await db.schema.dropTable(table).execute();
}
