import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';

/** What the clients saw succeed; after every restart all of it must still be there. */
export class Ledger {
  /** CloudStack deploys answered 200: vm id → its job and the tenant that asked. */
  deployed = new Map<string, { job: string; tenant: number }>();
  /** Jobs the clients saw finish, with the status they saw. */
  finished = new Map<string, number>();
  /** VMs whose destroy-and-expunge a client asked for, answered or not (they may be gone). */
  destroyed = new Set<string>();
  /** EC2 instance ids RunInstances answered with, per tenant. */
  ec2 = new Map<number, string[]>();
  /** GCE instances inserted (operation accepted), per tenant. */
  gce = new Map<number, string[]>();
  get accepted(): number {
    return this.deployed.size + [...this.ec2.values(), ...this.gce.values()].reduce((n, l) => n + l.length, 0);
  }
}

/** Every acknowledged VM and job is in the database, and every job the client saw finish still says so. */
export async function lost(db: Kysely<Database>, ledger: Ledger): Promise<string[]> {
  const out: string[] = [];
  // What was acknowledged before the tables are read; later answers are checked next time.
  const deployed = [...ledger.deployed];
  const finished = [...ledger.finished];
  const vms = new Map((await db.selectFrom('vms').select(['id', 'removed']).execute()).map((v) => [v.id, v]));
  const jobs = new Map((await db.selectFrom('jobs').select(['id', 'status']).execute()).map((j) => [j.id, j]));
  for (const [vm, { job }] of deployed) {
    const row = vms.get(vm);
    if (!row) out.push(`VM ${vm} (deploy acknowledged) is gone`);
    else if (row.removed && !ledger.destroyed.has(vm)) out.push(`VM ${vm} was expunged though nobody destroyed it`);
    if (!jobs.has(job)) out.push(`job ${job} (acknowledged) is gone`);
  }
  for (const [job, status] of finished)
    if (jobs.get(job)?.status !== status)
      out.push(`job ${job} was seen with status ${status}, now ${jobs.get(job)?.status}`);
  return out;
}
