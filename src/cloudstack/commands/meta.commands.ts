import { mayCall } from '../access.js';
import { list, object, type CommandDef } from '../command.js';
import { CLOUDSTACK_VERSION } from '../encode.js';
import { apiDoc } from '../spec.js';

/** listApis answers from the 4.18 spec, limited to what polystack implements and the caller may call. */
export function listApisCommand(implemented: () => CommandDef[]): CommandDef {
  return {
    name: 'listApis',
    async handle({ caller, services, params: p }) {
      const name = p.str('name');
      const wanted = implemented().filter((d) => !name || d.name.toLowerCase() === name.toLowerCase());
      const allowed = await Promise.all(wanted.map((d) => mayCall(services, caller, d)));
      const apis = wanted
        .filter((_, i) => allowed[i])
        .map((d) => apiDoc(d.name)!)
        .filter(Boolean)
        .sort((a, b) => a.name.localeCompare(b.name));
      return list(
        'api',
        apis.map((a) => ({
          name: a.name,
          description: a.description,
          isasync: a.isasync,
          since: a.since,
          related: a.related,
          params: a.params,
          response: a.response,
          type: undefined,
        })),
      );
    },
  };
}

export const metaCommands: CommandDef[] = [
  {
    name: 'listCapabilities',
    async handle({ caller, services }) {
      const zones = await services.catalog.zones(caller, {});
      return object('capability', {
        cloudstackversion: CLOUDSTACK_VERSION,
        securitygroupsenabled: zones.some((z) => !!z.securityGroupsEnabled),
        userpublictemplateenabled: true,
        supportELB: 'false',
        projectinviterequired: false,
        allowusercreateprojects: true,
        customdiskofferingminsize: 1,
        customdiskofferingmaxsize: 1024,
        regionsecondaryenabled: false,
        kvmsnapshotenabled: false,
        allowuserviewdestroyedvm: false,
        allowuserexpungerecovervm: services.config.bool('allow.user.expunge.recover.vm'),
        allowuserexpungerecovervolume: true,
        allowuserforcestopvm: true,
        allowuserviewalldomainaccounts: false,
        dynamicrolesenabled: true,
        kubernetesserviceenabled: false,
        kubernetesclusterexperimentalfeaturesenabled: false,
        defaultuipagesize: services.config.num('default.page.size', 500),
        instancesstatsretentiontime: 720,
        instancesstatsuseronly: false,
        instancesdisksstatsretentionenabled: false,
        instancesdisksstatsretentiontime: 720,
        dynamicscalingenabled: true,
        sharedfsvmmincpucount: 2,
        sharedfsvmminramsize: 1024,
        // ManagementServerImpl reports the limit only while the rate-limit plugin is on.
        ...(services.throttle.enabled
          ? {
              apilimitinterval: services.config.num('api.throttling.interval', 1),
              apilimitmax: services.config.num('api.throttling.max', 25),
            }
          : {}),
      });
    },
  },
];
