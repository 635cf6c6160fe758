/**
 * Records of the organisation: roles and their rules, projects and their members, resource limits
 * and counts, alerts. Same conventions as types.ts (flags 0/1, epoch milliseconds).
 */
import type { Flag } from './types.js';

/** CloudStack's role types, most privileged first (the order its checks compare). */
export const ROLE_TYPES = ['Admin', 'ResourceAdmin', 'DomainAdmin', 'User'] as const;
export type RoleType = (typeof ROLE_TYPES)[number];

export interface Role {
  /** seq is CloudStack's numeric role id: 1 is the built-in Root Admin, the one role that bypasses every rule. */
  id: string;
  seq: number;
  name: string;
  type: RoleType;
  description: string | null;
  isDefault: Flag;
  created: number;
  removed: number | null;
}
export type Permission = 'allow' | 'deny';
export interface RolePermission {
  id: string;
  roleId: string;
  rule: string;
  permission: Permission;
  description: string | null;
  sortOrder: number;
}

export type ProjectState = 'Active' | 'Suspended' | 'Disabled';
/** A project owns its resources through its own account (type 5), as CloudStack's projects do. */
export interface Project {
  id: string;
  seq: number;
  name: string;
  displayText: string;
  domainId: string;
  projectAccountId: string;
  state: ProjectState;
  created: number;
  removed: number | null;
}
export type ProjectRole = 'Admin' | 'Regular';
/** A member account, or one user of it (`userId`, addUserToProject); a Regular member may be held to a project role's rules. */
export interface ProjectMember {
  id: string;
  projectId: string;
  accountId: string;
  role: ProjectRole;
  created: number;
  /** 035_project_roles_network_permissions; null on rows written before. */
  userId?: string | null;
  projectRoleId?: string | null;
}
/** A project's own role (ProjectRoleVO): ordered allow/deny rules for the Regular members given it. */
export interface ProjectRoleRow {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  created: number;
}
export interface ProjectRolePermission {
  id: string;
  projectId: string;
  projectRoleId: string;
  rule: string;
  permission: Permission;
  description: string | null;
  sortOrder: number;
}

export type LimitOwner = 'account' | 'domain';
export interface ResourceLimit {
  id: number;
  ownerType: LimitOwner;
  ownerId: string;
  resourceType: number;
  max: number;
}
/** What an account holds of one resource type; a domain's count is the sum over the accounts below it. */
export interface ResourceCount {
  accountId: string;
  resourceType: number;
  count: number;
}

export interface Alert {
  id: string;
  type: number;
  name: string;
  subject: string;
  zoneId: string | null;
  podId: string | null;
  clusterId: string | null;
  archived: Flag;
  resolved: number | null;
  created: number;
}

/** A region (RegionVO): its id is the integer the operator gave, kept as text like every row id. */
export interface Region {
  id: string;
  name: string;
  endpoint: string;
  gslbEnabled: Flag;
  portableIpEnabled: Flag;
}

/** An annotation (AnnotationVO); removed ones keep their row. */
export interface Annotation {
  id: string;
  entityType: string;
  entityId: string;
  annotation: string;
  userId: string;
  adminsOnly: Flag;
  created: number;
  removed: number | null;
}

/**
 * AnnotationService.EntityType and whether a user may annotate it (its own resources); the rest is
 * infrastructure that only admins annotate.
 */
export const ANNOTATION_TYPES: Record<string, boolean> = {
  VM: true,
  VOLUME: true,
  SNAPSHOT: true,
  VM_SNAPSHOT: true,
  INSTANCE_GROUP: true,
  SSH_KEYPAIR: true,
  NETWORK: true,
  VPC: true,
  PUBLIC_IP_ADDRESS: true,
  VPN_CUSTOMER_GATEWAY: true,
  TEMPLATE: true,
  ISO: true,
  KUBERNETES_CLUSTER: true,
  SERVICE_OFFERING: false,
  DISK_OFFERING: false,
  NETWORK_OFFERING: false,
  ZONE: false,
  POD: false,
  CLUSTER: false,
  HOST: false,
  DOMAIN: false,
  PRIMARY_STORAGE: false,
  SECONDARY_STORAGE: false,
  VR: false,
  SYSTEM_VM: false,
};
