import type * as T from '../domain/types.js';

/** Table name -> row type. Column names are the domain field names. */
export interface Database {
  domains: T.Domain;
  accounts: T.Account;
  users: T.User;
  sessions: T.Session;
  zones: T.Zone;
  pods: T.Pod;
  clusters: T.Cluster;
  hosts: T.Host;
  storagePools: T.StoragePool;
  imageStores: T.ImageStore;
  physicalNetworks: T.PhysicalNetwork;
  vlanRanges: T.VlanRange;
  publicIps: T.PublicIp;
  guestVlans: { zoneId: string; vlan: number; networkId: string };
  serviceOfferings: T.ServiceOffering;
  diskOfferings: T.DiskOffering;
  networkOfferings: T.NetworkOffering;
  osTypes: T.OsType;
  templates: T.Template;
  networks: T.Network;
  vms: T.Vm;
  nics: T.Nic;
  volumes: T.Volume;
  securityGroups: T.SecurityGroup;
  securityGroupRules: T.SecurityGroupRule;
  vmSecurityGroups: { vmId: string; securityGroupId: string };
  sshKeyPairs: T.SshKeyPair;
  faultRules: T.FaultRule;
  instanceGroups: T.InstanceGroup;
  affinityGroups: T.AffinityGroup;
  vmAffinityGroups: { vmId: string; affinityGroupId: string };
  portForwardingRules: T.PortForwardingRule;
  tags: T.Tag;
  events: T.Event;
  jobs: T.Job;
  configurations: T.Configuration;
  simulatorMocks: T.SimulatorMock;
  sequences: { name: string; value: number };
}
