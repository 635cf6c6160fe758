// Runs Ansible playbooks of ngine_io.cloudstack modules (Debian's ansible package) twice against
// polystack: the first run changes every task, the second finds everything as it should be.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';

const run = promisify(execFile);
const playbookPath = (name: string) => fileURLToPath(new URL(`./ansible/${name}`, import.meta.url));
// ssh-keygen -l -E md5 of the public key networking.yml registers.
const PUBKEY_FINGERPRINT = '75:93:c9:6b:27:e6:ea:a7:68:4e:29:a3:97:29:05:bd';

/** changed= and failed= of the PLAY RECAP line. */
function recap(out: string): { changed: number; failed: number } {
  const m = /localhost\s*:\s*ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/.exec(out);
  if (!m) throw new Error(`no PLAY RECAP in:\n${out}`);
  return { changed: Number(m[1]), failed: Number(m[2]) };
}

describe('Ansible ngine_io.cloudstack playbooks: storage and images; snapshot policies; offerings, pools and settings; networks, addresses, rules, security groups and SSH keys', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
  });
  after(() => s.stop());

  const playbook = async (name: string, vars: Record<string, string> = {}) => {
    const extra = Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const r = await run('ansible-playbook', ['-i', 'localhost,', ...extra, playbookPath(name)], {
      env: {
        PATH: '/usr/bin:/bin',
        HOME: process.env['HOME'] ?? '/tmp',
        LANG: 'C.UTF-8',
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
        CLOUDSTACK_ENDPOINT: s.endpoint,
        CLOUDSTACK_KEY: s.apiKey,
        CLOUDSTACK_SECRET: s.secretKey,
      },
      timeout: 300_000,
    }).catch((e) => ({ stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? e.message) }));
    return `${r.stdout}${r.stderr}`;
  };

  /** `tasks` tasks change on the first run, none on the second. */
  const twice = async (name: string, tasks: number, vars: Record<string, string> = {}) => {
    const which = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
    assert.equal(
      which.status,
      0,
      'ansible-playbook is missing: run scripts/install-test-deps.sh (Debian package ansible)',
    );
    const first = await playbook(name, vars);
    assert.deepEqual(recap(first), { changed: tasks, failed: 0 }, first);
    const second = await playbook(name, vars);
    assert.deepEqual(recap(second), { changed: 0, failed: 0 }, second);
  };

  it(
    'storage.yml: the first run makes the VM, disk, template and ISO; the second changes nothing',
    { timeout: 600_000 },
    async () => {
      await twice('storage.yml', 4);
      const cs = await httpLogin(s.endpoint);
      const vm = (await cs.call('listVirtualMachines', { name: 'ans-vm' })).body.virtualmachine[0];
      const disk = (await cs.call('listVolumes', { name: 'ans-data' })).body.volume[0];
      assert.equal(disk.virtualmachineid, vm.id);
      assert.equal(disk.size, 2 * 2 ** 30);
      assert.equal((await cs.call('listTemplates', { templatefilter: 'self', name: 'ans-template' })).body.count, 1);
      assert.equal((await cs.call('listIsos', { isofilter: 'self', name: 'ans-iso' })).body.count, 1);
    },
  );

  it(
    'settings.yml: zone values set once, the global ones and the other zone untouched; the second run changes nothing',
    { timeout: 600_000 },
    async () => {
      await twice('settings.yml', 2);
      const cs = await httpLogin(s.endpoint);
      const zones = (await cs.call('listZones', {})).body.zone as { id: string; name: string }[];
      const zone = (n: string) => zones.find((z) => z.name === n)!.id;
      const value = async (name: string, scope: Record<string, string> = {}) =>
        (await cs.call('listConfigurations', { name, ...scope })).body.configuration[0].value;
      assert.equal(await value('backup.framework.enabled', { zoneid: zone('Sandbox-simulator-basic') }), 'true');
      assert.equal(await value('backup.framework.enabled', { zoneid: zone('Sandbox-simulator-advanced') }), 'false');
      assert.equal(await value('backup.framework.enabled'), 'false');
      assert.equal(
        await value('backup.framework.provider.plugin', { zoneid: zone('Sandbox-simulator-advanced') }),
        'veeam',
      );
      assert.equal(await value('backup.framework.provider.plugin'), 'dummy');
    },
  );

  it(
    'offerings.yml: offerings of the four kinds, a zone-wide pool, an image store and a zone setting, once; the second run changes nothing',
    { timeout: 600_000 },
    async () => {
      await twice('offerings.yml', 7);
      const cs = await httpLogin(s.endpoint);
      const call = async (cmd: string, params: Record<string, string>) => (await cs.call(cmd, params)).body;
      const so = (await call('listServiceOfferings', { name: 'ans-compute' })).serviceoffering[0];
      assert.deepEqual(
        [so.cpunumber, so.cpuspeed, so.memory, so.offerha, so.storagetype],
        [2, 1000, 1024, true, 'shared'],
      );
      const disk = (await call('listDiskOfferings', { name: 'ans-disk' })).diskoffering[0];
      assert.deepEqual([disk.disksize, disk.storagetype], [5, 'shared']);
      // CloudStack adds Gateway to an offering with SourceNat, and a VPC offering always has Gateway and NetworkACL
      const net = (await call('listNetworkOfferings', { name: 'ans-netoff' })).networkoffering[0];
      assert.deepEqual(
        [net.state, net.guestiptype, net.service.map((x: any) => x.name).sort()],
        ['Enabled', 'Isolated', ['Dhcp', 'Dns', 'Firewall', 'Gateway', 'SourceNat']],
      );
      const vpc = (await call('listVPCOfferings', { name: 'ans-vpcoff' })).vpcoffering[0];
      assert.deepEqual(
        [vpc.state, vpc.service.map((x: any) => x.name).sort()],
        ['Enabled', ['Dhcp', 'Dns', 'Gateway', 'NetworkACL', 'SourceNat']],
      );
      const zones = (await call('listZones', {})).zone as { id: string; name: string }[];
      const adv = zones.find((z) => z.name === 'Sandbox-simulator-advanced')!.id;
      const pool = (await call('listStoragePools', { name: 'ans-pool' })).storagepool[0];
      assert.deepEqual(
        [pool.scope, pool.zoneid, pool.path, pool.state],
        ['ZONE', adv, '/export/home/sandbox/ans-pool', 'Up'],
      );
      const store = (await call('listImageStores', { name: 'ans-images' })).imagestore[0];
      assert.deepEqual(
        [store.zoneid, store.providername, store.url],
        [adv, 'NFS', 'nfs://10.147.28.6/export/home/sandbox/ans-images'],
      );
      const value = async (params: Record<string, string>) =>
        (await call('listConfigurations', { name: 'use.external.dns', ...params })).configuration[0].value;
      assert.deepEqual([await value({ zoneid: adv }), await value({})], ['true', 'false']);
    },
  );

  it(
    'snapshot-policy.yml: cs_snapshot_policy makes the policy once, updates it once, removes it once',
    { timeout: 600_000 },
    async () => {
      const cs = await httpLogin(s.endpoint);
      const policies = async () => {
        const vm = (await cs.call('listVirtualMachines', { name: 'ans-snapvm' })).body.virtualmachine[0];
        const root = (await cs.call('listVolumes', { virtualmachineid: vm.id, type: 'ROOT' })).body.volume[0];
        return (await cs.call('listSnapshotPolicies', { volumeid: root.id })).body.snapshotpolicy ?? [];
      };
      await twice('snapshot-policy.yml', 2);
      const [made] = await policies();
      assert.deepEqual(
        [made.intervaltype, made.schedule, made.maxsnaps, made.timezone],
        [1, '00:1', 3, 'Europe/Zurich'],
      );
      await twice('snapshot-policy.yml', 1, { max_snaps: '5', schedule: '30:4' });
      const updated = await policies();
      assert.deepEqual(
        updated.map((p: any) => [p.id, p.schedule, p.maxsnaps]),
        [[made.id, '30:4', 5]],
        'the same policy, updated',
      );
      await twice('snapshot-policy.yml', 1, { policy_state: 'absent' });
      assert.deepEqual(await policies(), []);
    },
  );

  it(
    'networking.yml: the first run makes the network, VMs, address, rules, group and keys; the second changes nothing',
    { timeout: 600_000 },
    async () => {
      await twice('networking.yml', 13);
      const cs = await httpLogin(s.endpoint);
      const call = async (cmd: string, params: Record<string, string>) => (await cs.call(cmd, params)).body;
      const net = (await call('listNetworks', { keyword: 'ans-net' })).network[0];
      assert.deepEqual(
        [net.name, net.type, net.networkofferingname, net.networkdomain, net.zonename],
        [
          'ans-net',
          'Isolated',
          'DefaultIsolatedNetworkOfferingWithSourceNatService',
          'ans.internal',
          'Sandbox-simulator-advanced',
        ],
      );
      const vm = (await call('listVirtualMachines', { name: 'ans-netvm' })).virtualmachine[0];
      assert.deepEqual([vm.nic[0].networkid, vm.displayname, vm.group], [net.id, 'ans network VM', 'ans-group']);

      const ip = (await call('listPublicIpAddresses', { ipaddress: '192.168.2.150' })).publicipaddress[0];
      assert.deepEqual([ip.associatednetworkid, ip.issourcenat], [net.id, false]);
      const [pf] = (await call('listPortForwardingRules', { ipaddressid: ip.id })).portforwardingrule;
      assert.deepEqual(
        [pf.virtualmachineid, pf.vmguestip, pf.protocol, pf.publicport, pf.privateport],
        [vm.id, vm.nic[0].ipaddress, 'tcp', '2222', '22'],
      );
      const ingress = (await call('listFirewallRules', { ipaddressid: ip.id })).firewallrule.map((r: any) => [
        r.protocol,
        r.startport ?? r.icmptype,
        r.endport ?? r.icmpcode,
        r.cidrlist,
      ]);
      assert.deepEqual(ingress.sort(), [
        ['icmp', 8, 0, '0.0.0.0/0'],
        ['tcp', 2222, 2230, '10.0.0.0/8'],
      ]);
      const egress = (await call('listEgressFirewallRules', { networkid: net.id })).firewallrule;
      assert.deepEqual(
        egress.map((r: any) => [r.protocol, r.startport, r.endport]),
        [['tcp', 443, 443]],
      );

      const sg = (await call('listSecurityGroups', { securitygroupname: 'ans-sg' })).securitygroup[0];
      assert.deepEqual(
        sg.ingressrule.map((r: any) => [r.protocol, r.startport, r.endport, r.cidr]),
        [['tcp', 22, 22, '1.2.3.4/32']],
      );
      assert.deepEqual(
        sg.egressrule.map((r: any) => [r.protocol, r.startport, r.endport, r.cidr]),
        [['udp', 1, 65535, '0.0.0.0/0']],
      );
      const sgvm = (await call('listVirtualMachines', { name: 'ans-sgvm' })).virtualmachine[0];
      assert.deepEqual(
        [sgvm.zonename, sgvm.securitygroup.map((g: any) => g.name), sgvm.keypairs],
        ['Sandbox-simulator-basic', ['ans-sg'], 'ans-pubkey'],
      );

      assert.equal(
        (await call('listSSHKeyPairs', { name: 'ans-pubkey' })).sshkeypair[0].fingerprint,
        PUBKEY_FINGERPRINT,
      );
      assert.match(
        (await call('listSSHKeyPairs', { name: 'ans-key' })).sshkeypair[0].fingerprint,
        /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/,
      );
    },
  );
});
