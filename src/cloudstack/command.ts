import type { RoleType } from '../domain/organisation.js';
import type { Caller } from '../domain/caller.js';
import type { Services } from '../services/services.js';
import type { Params } from './params.js';

/** What a command answers; the encoder turns it into CloudStack's envelope. */
export type CommandResult = WholeResult | StreamedList;

/** An answer built whole before it is encoded. */
export type WholeResult =
  | { kind: 'list'; key: string; items: object[]; count?: number }
  | { kind: 'object'; key: string; value: object }
  | { kind: 'success'; displaytext?: string }
  | { kind: 'job'; jobid: string; id?: string }
  | { kind: 'fields'; value: object };

/**
 * A list too big to hold: the items come a chunk at a time and are written as they come, in the same
 * bytes a `list` of them would be (stream.ts). Only the first chunk is read before the answer starts.
 */
export interface StreamedList {
  kind: 'stream';
  key: string;
  count: number;
  chunks: AsyncIterable<object[]>;
}

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
  /** Only the Admin role type may call it (root admins, and roles of type Admin their rules allow). */
  admin?: boolean;
  /** Only root admins may call it (the infrastructure API). */
  rootAdmin?: boolean;
  /**
   * The role types the built-in roles' rules let call it (commands.properties, which 4.18 seeds as
   * the default roles' rules); default all.
   */
  authorized?: readonly RoleType[];
  /**
   * APICommand.authorized, where the command class declares it: the role types any role may call it
   * for when none of the role's rules names it. Most commands declare none.
   */
  annotated?: readonly RoleType[];
  /**
   * A list whose answer moves without a database write (figures from the clock or the process): the
   * list cache, which reuses answers until the next write, must not keep it.
   */
  uncached?: boolean;
  /** Response name when it is not lower(name) + "response". */
  responseName?: string;
  handle(ctx: CommandContext): Promise<CommandResult>;
}

/** Helpers for the common result shapes. */
export const list = (key: string, items: object[], count?: number): WholeResult => ({
  kind: 'list',
  key,
  items,
  count,
});
export const object = (key: string, value: object): WholeResult => ({ kind: 'object', key, value });
export const success = (): WholeResult => ({ kind: 'success' });
export const fields = (value: object): WholeResult => ({ kind: 'fields', value });
export const job = (jobid: string, id?: string): WholeResult => ({ kind: 'job', jobid, id });
