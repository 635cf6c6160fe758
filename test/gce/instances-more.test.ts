import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { compute_v1 } from 'googleapis';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';
import { googleCompute } from './googleapis-client.js';

const BASIC = 'sandbox-simulator-basic';
const ADVANCED = 'sandbox-simulator-advanced';

/** The instance methods beyond the lifecycle, through googleapis (Node), checked through CloudStack too. */
describe('GCE front: more instance methods through googleapis (Node)', () => {
  let s: TestServer;
  let gce: compute_v1.Compute;
  let cs: HttpSession;
  const project = 'admin';
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    gce = await googleCompute(s);
    cs = await httpLogin(s.endpoint);
  });
  after(() => s.stop());

  const wait = async (op: compute_v1.Schema$Operation, zone = BASIC) => {
    assert.equal(op.kind, 'compute#operation');
    const done = (await gce.zoneOperations.wait({ project, zone, operation: op.name! })).data;
    assert.equal(done.status, 'DONE');
    assert.equal(done.error, undefined, JSON.stringify(done.error));
    return done;
  };
  const refused = (p: Promise<unknown>, code: number, reason: string) =>
    assert.rejects(p, (e: any) => {
      assert.equal(e.code, code, e.message);
      assert.equal(e.response.data.error.errors[0].reason, reason, e.message);
      return true;
    });
  const get = async (instance: string, zone = BASIC) => (await gce.instances.get({ project, zone, instance })).data;
  const csVm = async (name: string) => (await cs.call('listVirtualMachines', { name })).body.virtualmachine[0];
  const insert = async (name: string, zone = BASIC, extra: compute_v1.Schema$Instance = {}) =>
    wait(
      (
        await gce.instances.insert({
          project,
          zone,
          requestBody: {
            name,
            machineType: `zones/${zone}/machineTypes/small-instance`,
            ...extra,
            disks: [
              { boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } },
            ],
          },
        })
      ).data,
      zone,
    );

  it('changes the machine type, service account, CPU platform and scheduling of a stopped instance', async () => {
    await insert('m-1');
    let vm = await get('m-1');
    assert.deepEqual(
      [vm.deletionProtection, vm.scheduling?.onHostMaintenance, vm.displayDevice?.enableDisplay, vm.minCpuPlatform],
      [false, 'MIGRATE', false, undefined],
    );
    // Google changes these only on a TERMINATED instance.
    await refused(
      gce.instances.setMachineType({
        project,
        zone: BASIC,
        instance: 'm-1',
        requestBody: { machineType: `zones/${BASIC}/machineTypes/medium-instance` },
      }),
      400,
      'invalidResourceUsage',
    );
    await refused(
      gce.instances.setServiceAccount({
        project,
        zone: BASIC,
        instance: 'm-1',
        requestBody: { email: 'default', scopes: [] },
      }),
      400,
      'invalidResourceUsage',
    );
    await refused(
      gce.instances.setMinCpuPlatform({
        project,
        zone: BASIC,
        instance: 'm-1',
        requestBody: { minCpuPlatform: 'Intel Broadwell' },
      }),
      400,
      'invalidResourceUsage',
    );
    await wait((await gce.instances.stop({ project, zone: BASIC, instance: 'm-1' })).data);

    await refused(
      gce.instances.setMachineType({
        project,
        zone: BASIC,
        instance: 'm-1',
        requestBody: { machineType: `zones/${BASIC}/machineTypes/n1-nope` },
      }),
      400,
      'invalid',
    );
    await refused(
      gce.instances.setMachineType({ project, zone: BASIC, instance: 'm-1', requestBody: {} }),
      400,
      'required',
    );
    await refused(
      gce.instances.setMachineType({
        project,
        zone: BASIC,
        instance: 'nope',
        requestBody: { machineType: 'medium-instance' },
      }),
      404,
      'notFound',
    );
    const mt = (
      await gce.instances.setMachineType({
        project,
        zone: BASIC,
        instance: 'm-1',
        requestBody: { machineType: `zones/${BASIC}/machineTypes/medium-instance` },
      })
    ).data;
    assert.deepEqual([mt.operationType, mt.targetLink, mt.targetId], ['setMachineType', vm.selfLink, vm.id]);
    await wait(mt);
    assert.match((await get('m-1')).machineType!, /\/machineTypes\/medium-instance$/);
    assert.equal((await csVm('m-1')).serviceofferingname, 'Medium Instance');

    const scopes = ['https://www.googleapis.com/auth/cloud-platform'];
    await wait(
      (
        await gce.instances.setServiceAccount({
          project,
          zone: BASIC,
          instance: 'm-1',
          requestBody: { email: 'default', scopes },
        })
      ).data,
    );
    await refused(
      gce.instances.setMinCpuPlatform({
        project,
        zone: BASIC,
        instance: 'm-1',
        requestBody: { minCpuPlatform: 'Intel Sapphire Rapids' },
      }),
      400,
      'invalid',
    );
    await wait(
      (
        await gce.instances.setMinCpuPlatform({
          project,
          zone: BASIC,
          instance: 'm-1',
          requestBody: { minCpuPlatform: 'Intel Broadwell' },
        })
      ).data,
    );
    await refused(
      gce.instances.setScheduling({ project, zone: BASIC, instance: 'm-1', requestBody: { preemptible: true } }),
      400,
      'unsupportedOperation',
    );
    await refused(
      gce.instances.setScheduling({
        project,
        zone: BASIC,
        instance: 'm-1',
        requestBody: { onHostMaintenance: 'REBOOT' },
      }),
      400,
      'invalid',
    );
    await wait(
      (
        await gce.instances.setScheduling({
          project,
          zone: BASIC,
          instance: 'm-1',
          requestBody: { automaticRestart: true, onHostMaintenance: 'TERMINATE' },
        })
      ).data,
    );
    vm = await get('m-1');
    assert.deepEqual(vm.serviceAccounts, [{ email: 'default', scopes }]);
    assert.equal(vm.minCpuPlatform, 'Intel Broadwell');
    assert.deepEqual([vm.scheduling?.automaticRestart, vm.scheduling?.onHostMaintenance], [true, 'TERMINATE']);
    assert.equal((await csVm('m-1')).haenable, true);

    // With onHostMaintenance TERMINATE, a maintenance event stops the instance.
    await wait((await gce.instances.start({ project, zone: BASIC, instance: 'm-1' })).data);
    const sim = (await gce.instances.simulateMaintenanceEvent({ project, zone: BASIC, instance: 'm-1' })).data;
    assert.equal((await wait(sim)).operationType, 'simulateMaintenanceEvent');
    assert.equal((await get('m-1')).status, 'TERMINATED');
    assert.equal((await csVm('m-1')).state, 'Stopped');
    await refused(
      gce.instances.simulateMaintenanceEvent({ project, zone: BASIC, instance: 'm-1' }),
      400,
      'invalidResourceUsage',
    );
  });

  it('simulates a maintenance event as a live migration (onHostMaintenance MIGRATE)', async () => {
    await insert('mig-1');
    const before = await csVm('mig-1');
    const op = (await gce.instances.simulateMaintenanceEvent({ project, zone: BASIC, instance: 'mig-1' })).data;
    await wait(op);
    const moved = await csVm('mig-1');
    assert.equal(moved.state, 'Running');
    assert.notEqual(moved.hostid, before.hostid);
    assert.equal((await get('mig-1')).status, 'RUNNING');
  });

  it('suspends and resumes an instance (a stopped CloudStack VM), and protects it from deletion', async () => {
    await insert('s-1');
    await refused(gce.instances.resume({ project, zone: BASIC, instance: 's-1' }), 400, 'invalidResourceUsage');
    const sus = (await gce.instances.suspend({ project, zone: BASIC, instance: 's-1' })).data;
    assert.equal(sus.operationType, 'suspend');
    await wait(sus);
    assert.equal((await get('s-1')).status, 'SUSPENDED');
    assert.equal((await csVm('s-1')).state, 'Stopped');
    // Suspending again is already done; a suspended instance's machine type does not change.
    await wait((await gce.instances.suspend({ project, zone: BASIC, instance: 's-1' })).data);
    await refused(
      gce.instances.setMachineType({
        project,
        zone: BASIC,
        instance: 's-1',
        requestBody: { machineType: 'medium-instance' },
      }),
      400,
      'invalidResourceUsage',
    );
    await wait((await gce.instances.resume({ project, zone: BASIC, instance: 's-1' })).data);
    assert.equal((await get('s-1')).status, 'RUNNING');
    assert.equal((await csVm('s-1')).state, 'Running');

    const prot = (await gce.instances.setDeletionProtection({ project, zone: BASIC, resource: 's-1' })).data;
    assert.equal((await wait(prot)).operationType, 'setDeletionProtection');
    assert.equal((await get('s-1')).deletionProtection, true);
    await assert.rejects(gce.instances.delete({ project, zone: BASIC, instance: 's-1' }), (e: any) => {
      assert.equal(e.code, 400);
      assert.equal(e.response.data.error.errors[0].reason, 'invalidResourceUsage');
      assert.equal(
        e.response.data.error.message,
        "Invalid resource usage: 'Resource cannot be deleted if it's protected against deletion.'.",
      );
      return true;
    });
    assert.equal((await csVm('s-1')).state, 'Running');
    await refused(
      gce.instances.setDeletionProtection({
        project,
        zone: BASIC,
        resource: 's-1',
        deletionProtection: 'maybe' as unknown as boolean,
      }),
      400,
      'invalid',
    );
    await wait(
      (await gce.instances.setDeletionProtection({ project, zone: BASIC, resource: 's-1', deletionProtection: false }))
        .data,
    );
    assert.equal((await get('s-1')).deletionProtection, false);
    await wait((await gce.instances.delete({ project, zone: BASIC, instance: 's-1' })).data);
    assert.equal((await cs.call('listVirtualMachines', { name: 's-1' })).body.virtualmachine, undefined);
  });

  it('answers the read-only methods: guest attributes, screenshot, effective firewalls', async () => {
    const fw = (
      await gce.firewalls.insert({
        project,
        requestBody: { name: 'ssh-in', allowed: [{ IPProtocol: 'tcp', ports: ['22'] }], sourceRanges: ['10.0.0.0/8'] },
      })
    ).data;
    await gce.globalOperations.wait({ project, operation: fw.name! });
    await insert('r-1', BASIC, { metadata: { items: [{ key: 'enable-guest-attributes', value: 'TRUE' }] } });
    const eff = (
      await gce.instances.getEffectiveFirewalls({ project, zone: BASIC, instance: 'r-1', networkInterface: 'nic0' })
    ).data;
    const ssh = eff.firewalls!.find((f) => f.name === 'ssh-in')!;
    assert.deepEqual(
      [ssh.kind, ssh.sourceRanges, ssh.allowed],
      ['compute#firewall', ['10.0.0.0/8'], [{ IPProtocol: 'tcp', ports: ['22'] }]],
    );
    const groups = (await csVm('r-1')).securitygroup.map((g: any) => g.name);
    assert.ok(groups.includes('ssh-in'));
    assert.equal(eff.firewalls!.length, groups.length);
    await refused(
      gce.instances.getEffectiveFirewalls({ project, zone: BASIC, instance: 'r-1', networkInterface: 'nic7' }),
      400,
      'invalid',
    );

    // No simulated guest writes guest attributes: every query is Google's 404 for the path.
    await refused(
      gce.instances.getGuestAttributes({ project, zone: BASIC, instance: 'r-1', queryPath: 'hostkeys/' }),
      404,
      'notFound',
    );
    await refused(gce.instances.getScreenshot({ project, zone: BASIC, instance: 'r-1' }), 400, 'badRequest');
    await refused(gce.instances.getScreenshot({ project, zone: BASIC, instance: 'nope' }), 404, 'notFound');
  });

  it('updates an instance with PUT: labels, tags, description, deletion protection', async () => {
    await insert('u-1');
    const vm = await get('u-1');
    await refused(
      gce.instances.update({
        project,
        zone: BASIC,
        instance: 'u-1',
        requestBody: { ...vm, fingerprint: 'AAAAAAAAAAA=' },
      }),
      412,
      'conditionNotMet',
    );
    await refused(
      gce.instances.update({ project, zone: BASIC, instance: 'u-1', requestBody: { ...vm, name: 'u-2' } }),
      400,
      'invalid',
    );
    await refused(
      gce.instances.update({
        project,
        zone: BASIC,
        instance: 'u-1',
        requestBody: { ...vm, machineType: `zones/${BASIC}/machineTypes/medium-instance` },
      }),
      400,
      'invalidResourceUsage',
    );
    const op = (
      await gce.instances.update({
        project,
        zone: BASIC,
        instance: 'u-1',
        requestBody: {
          ...vm,
          labels: { env: 'prod' },
          tags: { items: ['web'], fingerprint: vm.tags!.fingerprint },
          description: 'front end',
          deletionProtection: true,
        },
      })
    ).data;
    assert.equal((await wait(op)).operationType, 'update');
    const after = await get('u-1');
    assert.deepEqual(
      [after.labels, after.tags!.items, after.description, after.deletionProtection],
      [{ env: 'prod' }, ['web'], 'front end', true],
    );
    assert.deepEqual(
      (await csVm('u-1')).tags.map((t: any) => [t.key, t.value]),
      [['env', 'prod']],
    );
  });

  it('adds and deletes an access config as static NAT of a public address (advanced zone)', async () => {
    await insert('n-1', ADVANCED);
    assert.equal((await get('n-1', ADVANCED)).networkInterfaces![0]!.accessConfigs!.length, 0);
    await refused(
      gce.instances.addAccessConfig({
        project,
        zone: ADVANCED,
        instance: 'n-1',
        networkInterface: 'nic3',
        requestBody: {},
      }),
      400,
      'invalid',
    );
    const add = (
      await gce.instances.addAccessConfig({
        project,
        zone: ADVANCED,
        instance: 'n-1',
        networkInterface: 'nic0',
        requestBody: { name: 'External NAT', type: 'ONE_TO_ONE_NAT' },
      })
    ).data;
    assert.equal((await wait(add, ADVANCED)).operationType, 'addAccessConfig');
    const vm = await get('n-1', ADVANCED);
    const natIP = vm.networkInterfaces![0]!.accessConfigs![0]!.natIP!;
    assert.match(natIP, /^\d+\.\d+\.\d+\.\d+$/);
    const [ip] = (await cs.call('listPublicIpAddresses', { ipaddress: natIP })).body.publicipaddress;
    assert.deepEqual([ip.isstaticnat, ip.virtualmachineid], [true, (await csVm('n-1')).id]);
    await refused(
      gce.instances.addAccessConfig({
        project,
        zone: ADVANCED,
        instance: 'n-1',
        networkInterface: 'nic0',
        requestBody: {},
      }),
      400,
      'invalid',
    );
    await refused(
      gce.instances.deleteAccessConfig({
        project,
        zone: ADVANCED,
        instance: 'n-1',
        networkInterface: 'nic0',
        accessConfig: 'other',
      }),
      400,
      'invalid',
    );

    const del = (
      await gce.instances.deleteAccessConfig({
        project,
        zone: ADVANCED,
        instance: 'n-1',
        networkInterface: 'nic0',
        accessConfig: 'External NAT',
      })
    ).data;
    await wait(del, ADVANCED);
    assert.deepEqual((await get('n-1', ADVANCED)).networkInterfaces![0]!.accessConfigs, []);
    // The ephemeral address went back to the pool.
    assert.equal((await cs.call('listPublicIpAddresses', { id: ip.id })).body.publicipaddress, undefined);

    // A basic zone's NIC already has its routable address.
    await insert('n-2');
    await refused(
      gce.instances.addAccessConfig({
        project,
        zone: BASIC,
        instance: 'n-2',
        networkInterface: 'nic0',
        requestBody: {},
      }),
      400,
      'invalid',
    );
  });

  it('lists the new methods in the discovery document', async () => {
    const doc = (await (await fetch(`${s.url}/discovery/v1/apis/compute/v1/rest`)).json()) as any;
    const methods = doc.resources.instances.methods;
    for (const m of [
      'setMachineType',
      'suspend',
      'resume',
      'setDeletionProtection',
      'addAccessConfig',
      'deleteAccessConfig',
      'setServiceAccount',
      'setScheduling',
      'setMinCpuPlatform',
      'getGuestAttributes',
      'getScreenshot',
      'getEffectiveFirewalls',
      'simulateMaintenanceEvent',
      'update',
    ])
      assert.ok(methods[m], m);
    assert.deepEqual(methods.deleteAccessConfig.parameterOrder, [
      'project',
      'zone',
      'instance',
      'accessConfig',
      'networkInterface',
    ]);
    assert.equal(methods.update.httpMethod, 'PUT');
  });
});
