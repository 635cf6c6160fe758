import type { Ec2Context } from '../context.js';

/** An action takes the decoded input (model member names) and returns the output shape's members. */
export type Action = (ctx: Ec2Context, input: any) => Promise<Record<string, unknown>>;
