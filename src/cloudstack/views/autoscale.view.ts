import {
  parseParams,
  type AsPolicy,
  type AsVmGroup,
  type AsVmProfile,
  type Condition,
  type Counter,
} from '../../domain/autoscale.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';
import { ownerFields } from './owner.view.js';

/** CounterResponse: the source is Counter.Source's name (CPU, VIRTUALROUTER, …). */
export function counterView(c: Counter): Record<string, unknown> {
  return { id: c.id, name: c.name, source: c.source, value: c.value, provider: c.provider };
}

/** ConditionResponse: with its counter, whole (as a one-item list) and by id and name. */
export async function conditionView(
  lk: Lookup,
  c: Condition,
  counter: Counter | undefined,
): Promise<Record<string, unknown>> {
  return {
    id: c.id,
    threshold: c.threshold,
    relationaloperator: c.operator,
    counterid: c.counterId,
    countername: counter?.name,
    counter: counter ? [counterView(counter)] : [],
    ...(await ownerFields(lk, c.accountId, c.domainId)),
  };
}

/** AutoScalePolicyResponse: the action as AutoScalePolicy.Action names it (SCALEUP, SCALEDOWN), its conditions whole. */
export async function policyView(
  lk: Lookup,
  p: AsPolicy,
  conditions: Record<string, unknown>[],
): Promise<Record<string, unknown>> {
  const v: Record<string, unknown> = {
    id: p.id,
    action: p.action,
    duration: p.duration,
    quiettime: p.quietTime,
    conditions,
    ...(await ownerFields(lk, p.accountId, p.domainId)),
  };
  if (p.name !== null) v['name'] = p.name;
  return v;
}

/** `name=value&...` as the map CloudStack answers it with ({} when there is none). */
const asMap = (s: string | null): Record<string, string> => Object.fromEntries(parseParams(s));

/** AutoScaleVmProfileResponse. */
export async function profileView(lk: Lookup, p: AsVmProfile): Promise<Record<string, unknown>> {
  const v: Record<string, unknown> = {
    id: p.id,
    zoneid: p.zoneId,
    serviceofferingid: p.serviceOfferingId,
    templateid: p.templateId,
    otherdeployparams: asMap(p.otherDeployParams),
    expungevmgraceperiod: p.expungeVmGracePeriod,
    fordisplay: p.display === 1,
    ...(await ownerFields(lk, p.accountId, p.domainId)),
  };
  if (p.counterParams) v['counterparam'] = asMap(p.counterParams);
  if (p.userData !== null) v['userdata'] = p.userData;
  if (p.autoscaleUserId !== null) v['autoscaleuserid'] = p.autoscaleUserId;
  return v;
}

export interface GroupExtras {
  scaleUp: Record<string, unknown>[];
  scaleDown: Record<string, unknown>[];
  availableVms: number;
  lbProvider?: string;
}

/** AutoScaleVmGroupResponse: the rule's address, ports and network beside the group's own fields. */
export async function groupView(lk: Lookup, g: AsVmGroup, x: GroupExtras): Promise<Record<string, unknown>> {
  const rule = (await lk.loadBalancers([g.lbRuleId])).get(g.lbRuleId);
  const ip = rule ? (await lk.publicIps([rule.publicIpId])).get(rule.publicIpId) : undefined;
  const net = rule ? (await lk.networks([rule.networkId])).get(rule.networkId) : undefined;
  const v: Record<string, unknown> = {
    id: g.id,
    name: g.name,
    lbruleid: g.lbRuleId,
    minmembers: g.minMembers,
    maxmembers: g.maxMembers,
    availablevirtualmachinecount: x.availableVms,
    interval: g.interval,
    vmprofileid: g.profileId,
    scaleuppolicies: x.scaleUp,
    scaledownpolicies: x.scaleDown,
    state: g.state,
    fordisplay: g.display === 1,
    created: csDate(g.created),
    hasannotations: false,
    ...(await ownerFields(lk, g.accountId, g.domainId)),
  };
  if (net) Object.assign(v, { associatednetworkid: net.id, associatednetworkname: net.name });
  if (x.lbProvider) v['lbprovider'] = x.lbProvider;
  if (ip) Object.assign(v, { publicipid: ip.id, publicip: ip.address });
  if (rule) Object.assign(v, { publicport: String(rule.publicPort), privateport: String(rule.privatePort) });
  return v;
}
