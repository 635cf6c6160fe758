import { invalid } from './errors.js';
import type { Flag } from './types.js';

/**
 * VM autoscaling as CloudStack 4.18 has it (AutoScaleManagerImpl): counters a condition compares
 * with a threshold, policies that act when all their conditions hold for their duration, a VM
 * profile to deploy from, and a group that keeps a load balancer rule's members between min and max.
 */

/** Counter.Source (4.18 names them in capitals). CPU and memory come from the hosts; VIRTUALROUTER from the router. */
export const COUNTER_SOURCES = ['NETSCALER', 'SNMP', 'CPU', 'MEMORY', 'VIRTUALROUTER'] as const;
export type CounterSource = (typeof COUNTER_SOURCES)[number];
export const NATIVE_SOURCES: readonly CounterSource[] = ['CPU', 'MEMORY'];

/** Condition.Operator. */
export const OPERATORS = ['EQ', 'GT', 'LT', 'GE', 'LE'] as const;
export type Operator = (typeof OPERATORS)[number];

/** AutoScalePolicy.Action. */
export type ScaleAction = 'SCALEUP' | 'SCALEDOWN';

/** AutoScaleVmGroup.State. */
export type AsGroupState = 'NEW' | 'ENABLED' | 'DISABLED' | 'SCALING' | 'REVOKE';

/** VirtualRouterAutoScale.AutoScaleValueType: a value at an instant, or a counter that only grows (a rate is taken of it). */
export type AsValueType = 'INSTANT_VM' | 'INSTANT_VM_GROUP' | 'AGGREGATED_VM' | 'AGGREGATED_VM_GROUP';

/** VirtualRouterAutoScaleCounter: what a counter's value names when the virtual router measures it. */
export const VR_COUNTERS = {
  received: 'public.network.received.average.mbps',
  transmit: 'public.network.transmit.average.mbps',
  lbConnections: 'virtual.network.lb.average.connections',
} as const;

export interface Counter {
  id: string;
  name: string;
  source: CounterSource;
  value: string;
  provider: string;
  created: number;
}
export interface Condition {
  id: string;
  counterId: string;
  threshold: number;
  operator: Operator;
  accountId: string;
  domainId: string;
  created: number;
}
export interface AsPolicy {
  id: string;
  name: string | null;
  action: ScaleAction;
  duration: number;
  quietTime: number;
  lastQuietTime: number | null;
  accountId: string;
  domainId: string;
  created: number;
}
/** A condition of a policy, in the order they were given. */
export interface AsPolicyCondition {
  policyId: string;
  conditionId: string;
  position: number;
  accountId: string;
}
export interface AsVmProfile {
  id: string;
  zoneId: string;
  serviceOfferingId: string;
  templateId: string;
  /** `name=value&name=value`, as CloudStack stores otherdeployparams and counterparam. */
  otherDeployParams: string | null;
  counterParams: string | null;
  userData: string | null;
  expungeVmGracePeriod: number;
  autoscaleUserId: string | null;
  display: Flag;
  accountId: string;
  domainId: string;
  created: number;
}
export interface AsVmGroup {
  id: string;
  name: string;
  lbRuleId: string;
  zoneId: string;
  profileId: string;
  minMembers: number;
  maxMembers: number;
  memberPort: number;
  interval: number;
  lastInterval: number | null;
  state: AsGroupState;
  nextVmSeq: number;
  display: Flag;
  accountId: string;
  domainId: string;
  created: number;
}
/** A policy of a group, scale-up ones first (the order CloudStack evaluates them in). */
export interface AsGroupPolicy {
  groupId: string;
  policyId: string;
  position: number;
  accountId: string;
}
export interface AsGroupVm {
  groupId: string;
  vmId: string;
  accountId: string;
  created: number;
}
/** autoscale_vmgroup_statistics: one sample of one counter of one policy, or a dummy row that holds decisions back. */
export interface AsStat {
  id: string;
  groupId: string;
  policyId: string;
  counterId: string;
  resourceId: string | null;
  resourceType: string;
  rawValue: number;
  valueType: AsValueType;
  created: number;
  state: 'ACTIVE' | 'INACTIVE';
  accountId: string;
}

/** AutoScaleVmGroupStatisticsVO.DUMMY_ID: the policy and counter of a dummy row. */
export const DUMMY_ID = '0';
/** AutoScaleVmGroupStatisticsVO.INVALID_VALUE: the value of a sample that could not be taken. */
export const INVALID_VALUE = -1;

/** NetUtils.DEFAULT_AUTOSCALE_POLICY_QUIET_TIME and DEFAULT_AUTOSCALE_POLICY_INTERVAL_TIME (seconds). */
export const DEFAULT_QUIET_TIME = 5 * 60;
export const DEFAULT_INTERVAL = 30;

/** AutoScaleManagerImpl.supportedDeployParams. */
export const DEPLOY_PARAMS = [
  'rootdisksize',
  'diskofferingid',
  'disksize',
  'securitygroupids',
  'overridediskofferingid',
  'keypairs',
  'affinitygroupids',
  'networkids',
] as const;

export function operatorOf(value: string, verb: 'create' | 'update'): Operator {
  const op = value.toUpperCase();
  if (!(OPERATORS as readonly string[]).includes(op))
    throw invalid(`The Operator ${op} does not exist; Unable to ${verb} Condition.`, 'relationaloperator');
  return op as Operator;
}

/** AutoScalePolicy.Action.fromValue. */
export function actionOf(value: string): ScaleAction {
  if (/^scaleup$/i.test(value)) return 'SCALEUP';
  if (/^scaledown$/i.test(value)) return 'SCALEDOWN';
  throw invalid('action is invalid. Supported actions are: [SCALEUP, SCALEDOWN]', 'action');
}

/** The condition check of checkConditionsForPolicy: the average against the threshold. */
export function holds(op: Operator, avg: number, threshold: number): boolean {
  switch (op) {
    case 'EQ':
      return avg === threshold;
    case 'GE':
      return avg >= threshold;
    case 'GT':
      return avg > threshold;
    case 'LE':
      return avg <= threshold;
    case 'LT':
      return avg < threshold;
  }
}

/** checkAutoScaleVmGroupName. */
export function checkGroupName(name: string): void {
  if (name.length >= 1 && name.length <= 255 && /^[a-z0-9-]*$/i.test(name)) return;
  throw invalid(
    "Invalid AutoScale VM group name. It can contain the ASCII letters 'a' through 'z', 'A' through 'Z', the digits '0' through '9' and the hyphen ('-'), must be between 1 and 255 characters long.",
    'name',
  );
}

const VM_PREFIX = 'autoScaleVm-';

/** getNextVmHostName: autoScaleVm-<group>-<seq>-<6 random letters>, the group name cut to keep it within 63 characters. */
export function vmHostName(groupName: string, seq: number, random: string): string {
  const suffix = `-${seq}-${random.toLowerCase()}`;
  return VM_PREFIX + groupName.slice(0, Math.min(groupName.length, 63 - VM_PREFIX.length - suffix.length)) + suffix;
}

/** `name=value&...` (getDeployParams: pairs without a value are dropped; the last of a name wins). */
export function parseParams(s: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (s ?? '').split('&')) {
    const [k, v] = pair.split('=');
    if (k && v !== undefined && v !== '') out.set(k, v);
  }
  return out;
}

/** The `name`/`value` entries of a map parameter, as CloudStack's commands join them. */
export function joinParams(entries: { name?: string; value?: string }[]): string {
  return entries.map((e) => `&${e.name}=${e.value}`).join('');
}

/** checkValidityAndPersist (profile): every otherdeployparams key must be one a deploy takes. */
export function checkDeployParams(params: Map<string, string>, given: string[]): void {
  for (const key of given) {
    if (!(DEPLOY_PARAMS as readonly string[]).includes(key))
      throw invalid(
        `Unsupported otherdeployparams key: ${key}. Supported values are [${DEPLOY_PARAMS.join(', ')}]`,
        'otherdeployparams',
      );
  }
  for (const key of ['rootdisksize', 'disksize']) {
    const v = params.get(key);
    if (v !== undefined && !/^[+-]?\d+$/.test(v))
      throw invalid(
        `Unable to execute API command deployvirtualmachine due to invalid value ${v} for parameter ${key}`,
        'otherdeployparams',
      );
  }
}
