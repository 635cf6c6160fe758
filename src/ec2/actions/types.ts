import type { EC2, Tag, TagSpecification } from '@aws-sdk/client-ec2';
import type { Ec2Context } from '../context.js';

/** What the query decoder makes of an SDK type: timestamps and blobs stay the text they arrived as. */
export type Decoded<T> = T extends Date | Uint8Array
  ? string
  : T extends readonly (infer U)[]
    ? Decoded<U>[]
    : T extends object
      ? { [K in keyof T]: Decoded<T[K]> }
      : T;

/** An EC2 action's name, as the SDK's client has a method for each (CreateKeyPair → createKeyPair). */
export type ActionName = Capitalize<
  { [K in keyof EC2]: EC2[K] extends (...args: never[]) => unknown ? K : never }[keyof EC2] & string
>;

/** An action's decoded input: the SDK's `<Action>Request`, member for member (the model both come from). */
export type Input<A extends ActionName> = Decoded<NonNullable<Parameters<EC2[Uncapitalize<A>]>[0]>>;

/** An action takes the decoded input (model member names) and returns the output shape's members. */
export type Handler<I> = (ctx: Ec2Context, input: I) => Promise<Record<string, unknown>>;

/** What the router holds: any action, fed the input decoded from that action's own model shape. */
export type Action = Handler<Record<string, unknown>>;

/** A group of actions, each typed by its SDK request; the router reaches them by name only. */
export function actions<N extends ActionName>(handlers: { [A in N]: Handler<Input<A>> }): Record<N, Action> {
  // The one place the input loses its type: decodeInput builds it from the model shape of the very action it runs.
  return handlers as unknown as Record<N, Action>;
}

/** A request's TagSpecifications, as decoded. */
export type TagSpecs = Decoded<TagSpecification>[] | undefined;

/** The tags a request's TagSpecifications give one resource type. */
export const specTagsOf = (specs: TagSpecs, type: string): Decoded<Tag>[] =>
  (specs ?? []).filter((s) => s.ResourceType === type).flatMap((s) => s.Tags ?? []);

/** EC2 tags as createTags' `tags` map; a Key left out goes as the text a form encoder writes for it. */
export const csTags = (tags: readonly Decoded<Tag>[]): Record<string, string>[] =>
  tags.map((t) => ({ key: String(t.Key), value: t.Value ?? '' }));
