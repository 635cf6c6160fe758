import type { MarvinConfig, MarvinCluster } from '../../src/datacenter/marvin.js';

/** An advanced zone in Marvin's shape: one pod, the given clusters, public 192.168.50.2-50, guest VLANs 300-310. */
export function tinyZone(name: string, clusters: MarvinCluster[]): MarvinConfig {
  return {
    zones: [
      {
        name,
        networktype: 'Advanced',
        dns1: '8.8.8.8',
        internaldns1: '8.8.4.4',
        guestcidraddress: '10.1.1.0/24',
        physical_networks: [
          {
            name: `${name}-pnet`,
            broadcastdomainrange: 'Zone',
            vlan: '300-310',
            isolationmethods: ['VLAN'],
            traffictypes: [{ typ: 'Guest' }, { typ: 'Management' }, { typ: 'Public' }],
            providers: [{ name: 'VirtualRouter' }, { name: 'VpcVirtualRouter' }],
          },
        ],
        ipranges: [
          {
            startip: '192.168.50.2',
            endip: '192.168.50.50',
            netmask: '255.255.255.0',
            gateway: '192.168.50.1',
            vlan: '50',
          },
        ],
        pods: [
          {
            name: 'P0',
            gateway: '172.16.20.1',
            netmask: '255.255.255.0',
            startip: '172.16.20.2',
            endip: '172.16.20.100',
            clusters,
          },
        ],
        // Each zone its own store: CloudStack names a store after its URL, and names are unique.
        secondaryStorages: [{ url: `nfs://10.0.0.1:/export/secondary/${name}`, provider: 'NFS' }],
      },
    ],
  };
}

/** A simulated host URL with the simulator's size overrides (memory in bytes). */
export const simHost = (path: string, cores: number, mhz: number, memoryBytes: number) => ({
  url: `http://sim/${path}/cpucore=${cores}&cpuspeed=${mhz}&memory=${memoryBytes}`,
  username: 'root',
  password: 'password',
});

export const cluster = (name: string, hosts: ReturnType<typeof simHost>[], pools = [`${name}-ps`]): MarvinCluster => ({
  clustername: name,
  hypervisor: 'simulator',
  clustertype: 'CloudManaged',
  hosts,
  primaryStorages: pools.map((p) => ({ name: p, url: `nfs://10.0.0.1:/export/${p}` })),
});
