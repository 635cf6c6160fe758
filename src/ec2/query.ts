import { ec2Error } from './errors.js';
import { shape, type Member, type Shape } from './model.js';

/**
 * The EC2 query protocol: flat `Name.1.Field=value` parameters, named by the model (queryName,
 * else locationName with its first letter capitalised, else the member name), lists with
 * 1-based indexes and no `.member.` infix. Decoded into objects keyed by the model's member names.
 */
export type Flat = Map<string, string>;

const ucfirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const wireName = (name: string, m: Member): string =>
  m.queryName ?? (m.locationName ? ucfirst(m.locationName) : name);

export function decodeInput(shapeName: string, params: Flat): Record<string, unknown> {
  return (decode(shape(shapeName), '', params) as Record<string, unknown> | undefined) ?? {};
}

function decode(s: Shape, prefix: string, params: Flat): unknown {
  switch (s.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, m] of Object.entries(s.members ?? {})) {
        const key = prefix ? `${prefix}.${wireName(name, m)}` : wireName(name, m);
        const v = decode(shape(m.shape), key, params);
        if (v !== undefined) out[name] = v;
      }
      return prefix && Object.keys(out).length === 0 ? undefined : out;
    }
    case 'list': {
      const items: unknown[] = [];
      for (const i of listIndexes(params, prefix)) {
        const member = shape(s.member!.shape);
        const item = decode(member, `${prefix}.${i}`, params);
        // `Filter.1.Junk=x` names an item with no field the model knows: an empty structure, not a hole in the list.
        if (item !== undefined) items.push(item);
        else if (member.type === 'structure') items.push({});
      }
      return items.length ? items : undefined;
    }
    case 'map':
      return undefined;
    default:
      return scalar(s, prefix, params.get(prefix));
  }
}

/**
 * The indexes a list was sent with, in order. Clients count from 1, but libcloud's CreateTags
 * counts from 0 (`ResourceId.0`, `Tag.0.Key`), which EC2 accepts too.
 */
function listIndexes(params: Flat, prefix: string): number[] {
  const head = `${prefix}.`;
  const found = new Set<number>();
  for (const k of params.keys()) {
    if (!k.startsWith(head)) continue;
    const m = /^(\d+)(\.|$)/.exec(k.slice(head.length));
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

function scalar(s: Shape, name: string, v: string | undefined): unknown {
  if (v === undefined) return undefined;
  switch (s.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(v)) throw ec2Error('InvalidParameterValue', `Invalid value '${v}' for ${name}`);
      return Number(v);
    }
    case 'double':
    case 'float':
      if (Number.isNaN(Number(v))) throw ec2Error('InvalidParameterValue', `Invalid value '${v}' for ${name}`);
      return Number(v);
    case 'boolean':
      if (!/^(true|false)$/i.test(v))
        throw ec2Error('InvalidParameterValue', `Invalid value '${v}' for ${name}, expected true or false`);
      return v.toLowerCase() === 'true';
    default:
      if (s.enum && !s.enum.includes(v))
        throw ec2Error('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid.`);
      return v;
  }
}
