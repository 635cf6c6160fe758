import type { Caller } from '../services/context.js';
import type { Services } from '../server/services.js';
import type { Params } from './params.js';

/** What a command answers; the encoder turns it into CloudStack's envelope. */
export type CommandResult =
  | { kind: 'list'; key: string; items: object[]; count?: number }
  | { kind: 'object'; key: string; value: object }
  | { kind: 'success'; displaytext?: string }
  | { kind: 'job'; jobid: string; id?: string }
  | { kind: 'fields'; value: object };

export interface CommandContext {
  caller: Caller;
  services: Services;
  params: Params;
  /** The command's name as the spec spells it (deployVirtualMachine). */
  command: string;
  /** The class name CloudStack reports in `cmd` of a job. */
  httpMethod: 'GET' | 'POST';
}

export interface CommandDef {
  /** Name as in the spec; the spec supplies parameters and the async flag. */
  name: string;
  /** Only root and domain admins may call it. */
  admin?: boolean;
  /** Only root admins may call it (the infrastructure API). */
  rootAdmin?: boolean;
  /** Response name when it is not lower(name) + "response". */
  responseName?: string;
  handle(ctx: CommandContext): Promise<CommandResult>;
}

/** Helpers for the common result shapes. */
export const list = (key: string, items: object[], count?: number): CommandResult => ({ kind: 'list', key, items, count });
export const object = (key: string, value: object): CommandResult => ({ kind: 'object', key, value });
export const success = (): CommandResult => ({ kind: 'success' });
export const fields = (value: object): CommandResult => ({ kind: 'fields', value });
export const job = (jobid: string, id?: string): CommandResult => ({ kind: 'job', jobid, id });
