import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { created, jobFails, refused, tenant } from '../helpers/networking.js';

/** updateNetworkACLItem, as NetworkACLServiceImpl.updateNetworkACLItem: checked in its job, partial by default. */
describe('updateNetworkACLItem', () => {
  let w: World;
  let a: Api;
  let b: Api;
  let aclId: string;
  let item: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    const admin = await apiSession(w);
    a = await tenant(w, admin, 'upd-a');
    b = await tenant(w, admin, 'upd-b');
    const [vpcOffering] = (await a('listVPCOfferings', {})).body.vpcoffering;
    const vpc = await created(w, a, 'createVPC', {
      zoneid: w.zones.advanced,
      name: 'u',
      displaytext: 'u',
      vpcofferingid: vpcOffering.id,
      cidr: '10.20.0.0/16',
    });
    aclId = (await created(w, a, 'createNetworkACLList', { name: 'l', vpcid: vpc.id })).id;
    item = (
      await created(w, a, 'createNetworkACL', {
        aclid: aclId,
        protocol: 'tcp',
        startport: 22,
        endport: 22,
        cidrlist: '10.0.0.0/8',
        number: 10,
      })
    ).id;
    await created(w, a, 'createNetworkACL', { aclid: aclId, protocol: 'udp', startport: 53, number: 20 });
  });
  after(() => w.close());

  const rule = async () => (await a('listNetworkACLs', { id: item })).body.networkacl[0];

  it('merges what is sent into the rule (partialupgrade defaults to true) and answers the rule', async () => {
    const r = await a('updateNetworkACLItem', { id: item, endport: 25, action: 'deny' });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['jobid'], 'an async command: the first answer is the job');
    const job = await runJob(w, a, 'queryAsyncJobResult', { jobid: r.body.jobid });
    assert.equal(job.jobstatus, 1);
    assert.equal(job.jobresult.networkacl.id, item);
    const got = await rule();
    assert.deepEqual(
      [got.number, got.protocol, got.startport, got.endport, got.cidrlist, got.action, got.traffictype],
      [10, 'tcp', '22', '25', '10.0.0.0/8', 'Deny', 'Ingress'],
    );
  });

  it('replaces the whole rule with partialupgrade=false, keeping its number unless one is sent', async () => {
    await runJob(w, a, 'updateNetworkACLItem', {
      id: item,
      partialupgrade: false,
      protocol: 'icmp',
      icmptype: 8,
      icmpcode: 0,
      traffictype: 'Egress',
      action: 'Allow',
      cidrlist: '0.0.0.0/0',
    });
    let got = await rule();
    assert.deepEqual(
      [got.number, got.protocol, got.icmptype, got.icmpcode, got.startport, got.traffictype, got.action],
      [10, 'icmp', 8, 0, undefined, 'Egress', 'Allow'],
    );
    await runJob(w, a, 'updateNetworkACLItem', { id: item, number: 15 });
    got = await rule();
    assert.equal(got.number, 15);
  });

  it('refuses in its job what CloudStack refuses, and changes nothing', async () => {
    await jobFails(
      w,
      a,
      'updateNetworkACLItem',
      { id: item, number: 20 },
      431,
      `ACL item with number 20 already exists in ACL: ${aclId}`,
    );
    await jobFails(
      w,
      a,
      'updateNetworkACLItem',
      { id: item, protocol: 'tcp', startport: 80, endport: 80 },
      431,
      'Can specify icmpCode and icmpType for ICMP protocol only',
    );
    await jobFails(
      w,
      a,
      'updateNetworkACLItem',
      { id: item, action: 'drop' },
      431,
      'Invalid action [drop]. Permitted actions are Allow and Deny',
    );
    await jobFails(
      w,
      a,
      'updateNetworkACLItem',
      { id: item, partialupgrade: false, protocol: 'tcp', startport: 90, endport: 80 },
      431,
      "Start port can't be bigger than end port [startport=90,endport=80]",
    );
    await jobFails(
      w,
      a,
      'updateNetworkACLItem',
      { id: item, cidrlist: '10.0.0.0/40' },
      431,
      'Source cidrs formatting error 10.0.0.0/40',
    );
    await jobFails(w, b, 'updateNetworkACLItem', { id: item, number: 30 }, 531, /does not have permission/);
    const deny = (await a('listNetworkACLLists', { name: 'default_deny' })).body.networkacllist[0];
    const builtIn = (await a('listNetworkACLs', { aclid: deny.id })).body.networkacl[0];
    await jobFails(
      w,
      a,
      'updateNetworkACLItem',
      { id: builtIn.id, action: 'allow' },
      431,
      'Default ACL cannot be modified',
    );
    await refused(
      w,
      a,
      'updateNetworkACLItem',
      { id: '00000000-0000-0000-0000-000000000000' },
      431,
      /Invalid parameter id value=00000000-0000-0000-0000-000000000000 due to incorrect long value format, or entity does not exist/,
    );
  });
});
