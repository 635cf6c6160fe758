/** The closed set of failures the domain and services can report. Each front maps them in its own errors.ts. */
export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'InvalidState'
  | 'InvalidParameter'
  | 'InsufficientCapacity'
  | 'LimitExceeded'
  /** A per-account quota that is not a resource limit (AccountLimitException: remote access VPN users). */
  | 'AccountLimit'
  | 'Unauthorized'
  | 'Forbidden'
  | 'Conflict'
  | 'Unsupported'
  | 'AgentFailure'
  /** A failure CloudStack reports as a CloudRuntimeException: its own text, status 530. */
  | 'Internal'
  /** An operation refused for a reason only its message explains (CloudRuntimeException). */
  | 'OperationFailed'
  /** The resource is still used by another (ResourceInUseException, RESOURCE_IN_USE_ERROR). */
  | 'InUse';

export interface DomainErrorDetails {
  /** Resource kind, e.g. "VirtualMachine". */
  kind?: string;
  /** Resource id the error is about. */
  id?: string;
  /** The request parameter that carried the bad value, when there is one. */
  param?: string;
  /** Narrower capacity kind: server, storage, address, network. */
  capacity?: 'server' | 'storage' | 'address' | 'network';
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (kind: string, id: string, param = 'id') =>
  new DomainError('NotFound', `${kind} ${id} not found`, { kind, id, param });

export const invalid = (message: string, param?: string) => new DomainError('InvalidParameter', message, { param });

export const invalidState = (message: string, kind?: string, id?: string) =>
  new DomainError('InvalidState', message, { kind, id });

export const forbidden = (message: string, kind?: string, id?: string) =>
  new DomainError('Forbidden', message, { kind, id });

/** A CloudRuntimeException in CloudStack: a 530 that carries its own text, which AgentFailure maps to in every front. */
export const runtimeFailure = (message: string) => new DomainError('AgentFailure', message);
export const inUse = (message: string, kind?: string, id?: string) => new DomainError('InUse', message, { kind, id });
export const failed = (message: string, kind?: string, id?: string) =>
  new DomainError('OperationFailed', message, { kind, id });
