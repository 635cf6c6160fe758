import type { CsClient } from '../helpers/cs-client.js';
import { FrontClient, type Keys } from '../helpers/fronts.js';
import { storming } from './harness.js';
import type { Ledger } from './ledger.js';
import { ZONE } from './workload.js';

const GCE_ZONE = ZONE.toLowerCase();

/**
 * The crash test's deploy storm: tenants deploying over all three fronts (and now and then looking
 * at an earlier job, destroying a few finished VMs), each request sent to whichever node is up.
 * What a client sees succeed goes in the ledger; any other answer is an error.
 */
export class Storm {
  readonly errors: string[] = [];
  /** clients[node][tenant]: each tenant's client of each node. */
  private constructor(
    private clients: FrontClient[][],
    private ledger: Ledger,
    private catalog: { zoneId: string; offeringId: string; templateId: string; imageId: string },
  ) {}

  static async create(admin: CsClient, urls: string[], tenants: number, ledger: Ledger): Promise<Storm> {
    const zoneId = (await admin.call('listZones')).body.zone.find((z: any) => z.name === ZONE).id;
    const offeringId = (await admin.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0]
      .id;
    const templateId = (await admin.call('listTemplates', { templatefilter: 'featured' })).body.template.find(
      (x: any) => x.name.startsWith('CentOS'),
    ).id;
    const keys: Keys[] = [];
    for (let i = 0; i < tenants; i++) keys.push(await storming(admin, `crash${i}`));
    const clients = urls.map((url) => keys.map((k) => new FrontClient(url, k)));
    const images = (await clients[0]![0]!.ec2({ Action: 'DescribeImages' })).xml.DescribeImagesResponse.imagesSet.item;
    const imageId = [images].flat().find((x: any) => /CentOS/.test(x.name)).imageId;
    return new Storm(clients, ledger, { zoneId, offeringId, templateId, imageId });
  }

  get tenants(): number {
    return this.clients[0]!.length;
  }

  /** Tenant `ti`'s client on node `node`. */
  client(node: number, ti: number): FrontClient {
    return this.clients[node]![ti]!;
  }

  /** Request `i` of the storm, sent to node `node`; throws when the node dies under it. */
  async step(i: number, node: number): Promise<void> {
    const ti = i % this.tenants;
    const c = this.client(node, ti);
    const kind = i % 10;
    if (kind === 7) return this.runInstance(c, ti);
    if (kind === 8) return this.insertInstance(c, ti, `storm-${i}`);
    if (kind === 9 && this.ledger.deployed.size) return this.lookBack(i, node);
    const { zoneId: zoneid, offeringId: serviceofferingid, templateId: templateid } = this.catalog;
    const r = await c.cs.call(
      'deployVirtualMachine',
      { zoneid, serviceofferingid, templateid, name: `storm-${i}` },
      'POST',
    );
    if (r.status !== 200) return void this.errors.push(`deploy → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    this.ledger.deployed.set(r.body.id, { job: r.body.jobid, tenant: ti });
  }

  private async runInstance(c: FrontClient, ti: number): Promise<void> {
    const r = await c.ec2({
      Action: 'RunInstances',
      ImageId: this.catalog.imageId,
      MinCount: '1',
      MaxCount: '1',
      InstanceType: 't2.micro',
      'Placement.AvailabilityZone': ZONE,
    });
    if (r.status !== 200) return void this.errors.push(`RunInstances → ${r.status} ${r.code}`);
    this.ledger.ec2.set(ti, [
      ...(this.ledger.ec2.get(ti) ?? []),
      String(r.xml.RunInstancesResponse.instancesSet.item.instanceId),
    ]);
  }

  private async insertInstance(c: FrontClient, ti: number, name: string): Promise<void> {
    const r = await c.gce('POST', `crash${ti}/zones/${GCE_ZONE}/instances`, {
      name,
      machineType: `zones/${GCE_ZONE}/machineTypes/small-instance`,
      disks: [{ boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } }],
    });
    if (r.status !== 200) return void this.errors.push(`instances.insert → ${r.status} ${r.text.slice(0, 200)}`);
    this.ledger.gce.set(ti, [...(this.ledger.gce.get(ti) ?? []), name]);
  }

  /** Looks at an earlier job; once it is seen finished, that too must survive; a few finished VMs are destroyed. */
  private async lookBack(i: number, node: number): Promise<void> {
    const [vm, { job, tenant }] = [...this.ledger.deployed][i % this.ledger.deployed.size]!;
    const owner = this.client(node, tenant);
    const r = await owner.cs.call('queryAsyncJobResult', { jobid: job });
    if (r.status !== 200) return void this.errors.push(`queryAsyncJobResult → ${r.status}`);
    if (r.body.jobstatus === 0) return;
    this.ledger.finished.set(job, r.body.jobstatus);
    if (r.body.jobstatus !== 1)
      return void this.errors.push(`deploy job ${job} failed: ${JSON.stringify(r.body.jobresult).slice(0, 200)}`);
    if (i % 3 !== 0 || this.ledger.destroyed.has(vm)) return;
    // Asked, it may happen even if the node dies before it answers.
    this.ledger.destroyed.add(vm);
    const d = await owner.cs.call('destroyVirtualMachine', { id: vm, expunge: 'true' }, 'POST');
    if (d.status === 200) return;
    this.ledger.destroyed.delete(vm);
    this.errors.push(`destroy → ${d.status} ${JSON.stringify(d.body).slice(0, 200)}`);
  }
}
