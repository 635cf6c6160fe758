import { controlState } from '../../domain/infra.js';
import { macFromSeq } from '../../domain/net.js';
import type { SystemVm } from '../../domain/systemvm.js';
import type { Lookup } from '../../services/lookup.service.js';
import { CLOUDSTACK_VERSION, csDate } from '../encode.js';

export interface PublicNet {
  gateway: string;
  netmask: string;
  vlan: string;
}

/** SystemVmResponse, as listSystemVms and the system VM jobs show it. */
export async function systemVmView(
  lk: Lookup,
  v: SystemVm,
  pub: PublicNet | undefined,
): Promise<Record<string, unknown>> {
  const ids = [v.hostId, v.agentHostId].filter((x): x is string => !!x);
  const [zones, pods, templates, hosts] = await Promise.all([
    lk.table('zones'),
    lk.table('pods'),
    lk.table('templates'),
    lk.hosts(ids),
  ]);
  const zone = zones.get(v.zoneId);
  const pod = v.podId ? pods.get(v.podId) : undefined;
  const agent = v.agentHostId ? hosts.get(v.agentHostId) : undefined;
  const out: Record<string, unknown> = {
    id: v.id,
    systemvmtype: v.type,
    name: v.name,
    zoneid: v.zoneId,
    zonename: zone?.name,
    dns1: zone?.dns1 ?? undefined,
    dns2: zone?.dns2 ?? undefined,
    networkdomain: zone?.networkDomain ?? undefined,
    templateid: v.templateId ?? undefined,
    templatename: v.templateId ? templates.get(v.templateId)?.name : undefined,
    created: csDate(v.created),
    state: v.state,
    hypervisor: 'Simulator',
    isdynamicallyscalable: false,
    hasannotations: false,
    version: CLOUDSTACK_VERSION,
  };
  if (pod) Object.assign(out, { podid: pod.id, podname: pod.name });
  if (v.hostId)
    Object.assign(out, {
      hostid: v.hostId,
      hostname: hosts.get(v.hostId)?.name,
      hostcontrolstate: controlState(hosts.get(v.hostId)),
    });
  if (v.privateIp)
    Object.assign(out, {
      privateip: v.privateIp,
      privatemacaddress: macFromSeq(0x1e000000 + v.seq * 4),
      privatenetmask: pod?.netmask,
    });
  if (v.linkLocalIp)
    Object.assign(out, {
      linklocalip: v.linkLocalIp,
      linklocalmacaddress: macFromSeq(0x0e000000 + v.seq * 4),
      linklocalnetmask: '255.255.0.0',
    });
  if (v.publicIp)
    Object.assign(out, {
      publicip: v.publicIp,
      publicmacaddress: macFromSeq(0x06000000 + v.seq * 4),
      publicnetmask: pub?.netmask ?? pod?.netmask,
    });
  const gateway = pub?.gateway ?? pod?.gateway;
  if (gateway) out['gateway'] = gateway;
  if (pub) out['publicvlan'] = [pub.vlan];
  if (v.type === 'consoleproxy') out['activeviewersessions'] = 0;
  // The agent's host row: Up while the VM runs, Disconnected once it stopped (AgentState).
  if (agent) out['agentstate'] = agent.state;
  return out;
}
