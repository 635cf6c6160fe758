import { readFileSync } from 'node:fs';
import { specFile } from '../specs.js';

/** The EC2 API model (botocore's service-2.json, 2016-11-15): operations and shapes drive decoding and encoding. */
export interface Member {
  shape: string;
  locationName?: string;
  queryName?: string;
}
export interface Shape {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'boolean'
    | 'timestamp'
    | 'blob'
    | 'double'
    | 'float';
  members?: Record<string, Member>;
  member?: Member;
  required?: string[];
  enum?: string[];
}
export interface Operation {
  name: string;
  input?: { shape: string };
  output?: { shape: string };
}
interface Model {
  metadata: { apiVersion: string; xmlNamespace: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

let model: Model | undefined;

export function ec2Model(): Model {
  model ??= JSON.parse(readFileSync(specFile('ec2', 'service-2.json'), 'utf8')) as Model;
  return model;
}

// Names come from requests: only the model's own entries count, never Object.prototype's (`constructor`, `__proto__`).
const own = <T>(table: Record<string, T>, name: string): T | undefined =>
  Object.hasOwn(table, name) ? table[name] : undefined;

export const shape = (name: string): Shape => {
  const s = own(ec2Model().shapes, name);
  if (!s) throw new Error(`no shape ${name} in the EC2 model`);
  return s;
};

export const operation = (action: string): Operation | undefined => own(ec2Model().operations, action);

export const API_VERSION = '2016-11-15';
export const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
