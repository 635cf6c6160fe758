import type { FrontClient } from '../helpers/fronts.js';

/** Every request a load client made: its front, what it was, the status and how long it took. */
export interface Sample {
  front: 'cloudstack' | 'ec2' | 'gce';
  op: string;
  status: number;
  ms: number;
  write: boolean;
}

export const ZONE = 'Sandbox-simulator-advanced';
const GCE_ZONE = 'sandbox-simulator-advanced';

export interface Catalog {
  zoneId: string;
  offeringId: string;
  templateId: string;
  imageId: string;
}

/**
 * One simulated user of all three fronts, doing a mix of reads and writes without pause. Writes
 * are cycles a real client runs: a key pair created then deleted, a VM launched, waited for and
 * removed — one VM per front at a time, so capacity never runs out. A non-2xx answer anywhere,
 * or a job or operation that fails, is recorded as an error with what was asked.
 */
export class LoadClient {
  /** Where in the mix this client starts: clients started together do not all deploy first. */
  private n: number;
  private cs?: { vm?: string; job?: string };
  private ec2?: { id: string; running: boolean };
  private gce?: { name: string; op?: string; done: boolean };

  constructor(
    private c: FrontClient,
    private project: string,
    private tag: string,
    private catalog: Catalog,
    private record: (s: Sample) => void,
    private fail: (what: string) => void,
    start = 0,
  ) {
    this.n = start;
  }

  private async timed<T extends { status: number }>(
    front: Sample['front'],
    op: string,
    write: boolean,
    call: () => Promise<T>,
  ): Promise<T> {
    const t0 = performance.now();
    const r = await call();
    this.record({ front, op, status: r.status, ms: performance.now() - t0, write });
    if (r.status < 200 || r.status >= 300)
      this.fail(
        `${front} ${op} → ${r.status} ${JSON.stringify((r as any).body ?? (r as any).text ?? '').slice(0, 300)}`,
      );
    return r;
  }
  private csCall = (command: string, params: Record<string, string> = {}, write = false) =>
    this.timed('cloudstack', command, write, () => this.c.cs.call(command, params, write ? 'POST' : 'GET'));
  private ec2Call = (action: string, params: Record<string, string> = {}, write = false) =>
    this.timed('ec2', action, write, () => this.c.ec2({ Action: action, ...params }));
  private gceCall = (method: string, op: string, path: string, body?: unknown, write = false) =>
    this.timed('gce', op, write, () => this.c.gce(method, path, body));

  /** One step of the mix; weights favour reads about three to one. */
  async step(): Promise<void> {
    const k = this.n++;
    const pick = k % 12;
    if (pick === 0) return this.csVmCycle();
    if (pick === 1) return this.ec2VmCycle();
    if (pick === 2) return this.gceVmCycle();
    if (pick === 3) return this.keyPairs(k);
    if (pick === 4) await this.csCall('listVirtualMachines');
    if (pick === 5) await this.csCall('listNetworks');
    if (pick === 6) await this.ec2Call('DescribeInstances');
    if (pick === 7) await this.ec2Call('DescribeKeyPairs');
    if (pick === 8) await this.gceCall('GET', 'instances.list', `${this.project}/zones/${GCE_ZONE}/instances`);
    if (pick === 9) await this.gceCall('GET', 'zones.list', `${this.project}/zones`);
    if (pick === 10) await this.csCall('listZones');
    if (pick === 11) await this.ec2Call('DescribeAvailabilityZones');
  }

  private async keyPairs(k: number): Promise<void> {
    const name = `${this.tag}-k${k}`;
    if (k % 2) {
      await this.csCall('createSSHKeyPair', { name }, true);
      await this.csCall('deleteSSHKeyPair', { name }, true);
    } else {
      await this.ec2Call('CreateKeyPair', { KeyName: name }, true);
      await this.ec2Call('DeleteKeyPair', { KeyName: name }, true);
    }
  }

  private async csVmCycle(): Promise<void> {
    if (!this.cs) {
      const r = await this.csCall(
        'deployVirtualMachine',
        {
          zoneid: this.catalog.zoneId,
          serviceofferingid: this.catalog.offeringId,
          templateid: this.catalog.templateId,
          name: `${this.tag}-cs${this.n}`,
        },
        true,
      );
      this.cs = { vm: r.body.id, job: r.body.jobid };
      return;
    }
    if (this.cs.job) {
      const j = await this.csCall('queryAsyncJobResult', { jobid: this.cs.job });
      if (j.body.jobstatus === 0) return;
      if (j.body.jobstatus !== 1)
        this.fail(`cloudstack job ${j.body.cmd} failed: ${JSON.stringify(j.body.jobresult).slice(0, 300)}`);
      const wasDestroy = !this.cs.vm;
      this.cs.job = undefined;
      if (wasDestroy) this.cs = undefined;
      return;
    }
    const r = await this.csCall('destroyVirtualMachine', { id: this.cs.vm!, expunge: 'true' }, true);
    this.cs = { job: r.body.jobid };
  }

  private async ec2VmCycle(): Promise<void> {
    if (!this.ec2) {
      const r = await this.ec2Call(
        'RunInstances',
        {
          ImageId: this.catalog.imageId,
          MinCount: '1',
          MaxCount: '1',
          InstanceType: 't2.micro',
          'Placement.AvailabilityZone': ZONE,
        },
        true,
      );
      this.ec2 = { id: String(r.xml?.RunInstancesResponse?.instancesSet?.item?.instanceId), running: false };
      return;
    }
    if (!this.ec2.running) {
      const r = await this.ec2Call('DescribeInstances', { 'InstanceId.1': this.ec2.id });
      const state = r.xml?.DescribeInstancesResponse?.reservationSet?.item?.instancesSet?.item?.instanceState?.name;
      if (state === 'running') this.ec2.running = true;
      else if (state !== 'pending') this.fail(`ec2 instance ${this.ec2.id} is ${state}`);
      return;
    }
    await this.ec2Call('TerminateInstances', { 'InstanceId.1': this.ec2.id }, true);
    this.ec2 = undefined;
  }

  private async gceVmCycle(): Promise<void> {
    const base = `${this.project}/zones/${GCE_ZONE}`;
    if (!this.gce) {
      const name = `${this.tag}-g${this.n}`;
      const r = await this.gceCall(
        'POST',
        'instances.insert',
        `${base}/instances`,
        {
          name,
          machineType: `zones/${GCE_ZONE}/machineTypes/small-instance`,
          disks: [
            { boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } },
          ],
        },
        true,
      );
      this.gce = { name, op: r.body?.name, done: false };
      return;
    }
    if (!this.gce.done) {
      const r = await this.gceCall('GET', 'zoneOperations.get', `${base}/operations/${this.gce.op}`);
      if (r.body?.status !== 'DONE') return;
      if (r.body.error) this.fail(`gce operation ${r.body.operationType} failed: ${JSON.stringify(r.body.error)}`);
      if (r.body.operationType === 'delete') this.gce = undefined;
      else this.gce.done = true;
      return;
    }
    const r = await this.gceCall('DELETE', 'instances.delete', `${base}/instances/${this.gce.name}`, undefined, true);
    this.gce = { name: this.gce.name, op: r.body?.name, done: false };
  }
}
