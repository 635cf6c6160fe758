import { isAdmin } from '../../domain/caller.js';
import { fields, list, type CommandDef } from '../command.js';
import { jobView, type ResultRenderer } from '../views/job.view.js';
import { vmViews } from '../views/vm.view.js';
import { securityGroupView } from '../views/securitygroup.view.js';
import { publicIpView } from '../views/network.view.js';
import { affinityGroupView } from '../views/affinity.view.js';
import { portForwardingView } from '../views/portforwarding.view.js';
import { VM_JOBS } from '../../services/compute/vm.jobs.js';
import { PASSWORD_JOBS } from '../../services/compute/vm.ops.service.js';
import { listScope, paging, slice } from './common.js';
import type { Caller } from '../../domain/caller.js';
import type { Services } from '../../services/services.js';
import { networkingRenderers } from './networking.renderers.js';
import { infraRenderers } from './infra.renderers.js';
import { storageRenderers } from './storage.renderers.js';
import { caRenderers } from './ca.commands.js';
import { oobmRenderers } from './oobm.commands.js';
import { organisationRenderers } from './organisation.common.js';
import { backupRenderers } from './backup.commands.js';
import { autoScaleRenderers } from './autoscale.renderers.js';

/** How each kind of job result object is shown, keyed by the job's instance type. */
function renderers(caller: Caller, s: Services): Record<string, ResultRenderer> {
  return {
    ...networkingRenderers(s),
    ...infraRenderers(s),
    ...storageRenderers(caller, s),
    ...caRenderers(s),
    ...oobmRenderers(s),
    ...organisationRenderers(s, caller),
    ...backupRenderers(s),
    ...autoScaleRenderers(s),
    VirtualMachine: async (lk, id, job) => {
      const vm = (await lk.vms([id])).get(id);
      if (!vm) return undefined;
      // The generated password is shown once, in the result of the deploy job.
      const withPassword =
        PASSWORD_JOBS.has(job.kind) || (job.kind === VM_JOBS.start && job.params.includes('"deploy":true'));
      const [v] = await vmViews(lk, [vm], { admin: isAdmin(caller), withPassword });
      return ['virtualmachine', v!];
    },
    SecurityGroup: async (lk, id) => {
      const data = await lk.groups([id]);
      const g = data.groups.get(id);
      return g ? ['securitygroup', await securityGroupView(lk, g, data)] : undefined;
    },
    FirewallRule: async (lk, id) => {
      const rule = await lk.portForwardingRule(id);
      return rule ? ['portforwardingrule', await portForwardingView(lk, rule)] : undefined;
    },
    PortForwardingRule: async (lk, id) => {
      const rule = await lk.portForwardingRule(id);
      return rule ? ['portforwardingrule', await portForwardingView(lk, rule)] : undefined;
    },
    AffinityGroup: async (lk, id) => {
      const data = await lk.affinityGroups([id]);
      const g = data.groups.get(id);
      return g ? ['affinitygroup', await affinityGroupView(lk, g, data.members.get(id) ?? [])] : undefined;
    },
    IpAddress: async (lk, id) => {
      const ips = await lk.publicIps([id]);
      const ip = ips.get(id);
      return ip ? ['ipaddress', await publicIpView(lk, ip)] : undefined;
    },
  };
}

export const jobCommands: CommandDef[] = [
  {
    name: 'queryAsyncJobResult',
    async handle({ caller, services, params: p }) {
      const job = await services.jobQueries.get(caller, p.req('jobid'));
      return fields(await jobView(services.lookup(), job, renderers(caller, services)));
    },
  },
  {
    name: 'listAsyncJobs',
    async handle({ caller, services, params: p }) {
      const start = p.str('startdate');
      const jobs = await services.jobQueries.list(caller, listScope(p), {
        since: start ? Date.parse(start.replace(' ', 'T') + 'Z') : undefined,
      });
      const lk = services.lookup();
      const page = slice(jobs, paging(p, services));
      return list(
        'asyncjobs',
        await Promise.all(page.map((j) => jobView(lk, j, renderers(caller, services)))),
        jobs.length,
      );
    },
  },
];
