import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';

/**
 * Reading the files users write by hand (seed manifests, Marvin data-center configs): a problem is
 * reported with the file, the line and the key, never as a TypeError from deep inside the code
 * that used the value.
 */
export type Shape =
  | { t: 'string' | 'number' | 'boolean' | 'any' }
  | { t: 'scalar' }
  | { t: 'enum'; of: readonly string[] }
  | { t: 'array'; of: Shape }
  | { t: 'object'; fields: Record<string, Shape>; required?: readonly string[]; open?: boolean };

export type Path = (string | number)[];

export const S = {
  str: { t: 'string' } as Shape,
  num: { t: 'number' } as Shape,
  bool: { t: 'boolean' } as Shape,
  any: { t: 'any' } as Shape,
  /** A string, number or boolean: hand-written configs say "true" and true alike. */
  scalar: { t: 'scalar' } as Shape,
  oneOf: (...of: string[]): Shape => ({ t: 'enum', of }),
  list: (of: Shape): Shape => ({ t: 'array', of }),
  obj: (fields: Record<string, Shape>, required: readonly string[] = [], open = false): Shape => ({
    t: 'object',
    fields,
    required,
    open,
  }),
};

export const showPath = (path: Path): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '') || '(top level)';

const kind = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'a mapping'
        : `${typeof v} ${JSON.stringify(v)}`;

/** The first place `value` does not fit `shape`: its path and what is wrong there. */
export function checkShape(value: unknown, shape: Shape, path: Path = []): { path: Path; message: string } | undefined {
  switch (shape.t) {
    case 'any':
      return undefined;
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value === shape.t ? undefined : { path, message: `should be a ${shape.t}, not ${kind(value)}` };
    case 'scalar':
      return ['string', 'number', 'boolean'].includes(typeof value)
        ? undefined
        : { path, message: `should be a string, number or boolean, not ${kind(value)}` };
    case 'enum':
      return typeof value === 'string' && shape.of.includes(value)
        ? undefined
        : { path, message: `should be one of ${shape.of.join(', ')}, not ${kind(value)}` };
    case 'array': {
      if (!Array.isArray(value)) return { path, message: `should be a list, not ${kind(value)}` };
      for (const [i, v] of value.entries()) {
        const p = checkShape(v, shape.of, [...path, i]);
        if (p) return p;
      }
      return undefined;
    }
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value))
        return { path, message: `should be a mapping, not ${kind(value)}` };
      const o = value as Record<string, unknown>;
      for (const k of shape.required ?? []) if (o[k] === undefined) return { path, message: `lacks the key "${k}"` };
      for (const [k, v] of Object.entries(o)) {
        const f = shape.fields[k];
        if (!f) {
          if (shape.open) continue;
          return {
            path: [...path, k],
            message: `is not a key polystack knows here; the keys are ${Object.keys(shape.fields).join(', ')}`,
          };
        }
        const p = checkShape(v, f, [...path, k]);
        if (p) return p;
      }
      return undefined;
    }
  }
}

/** The 1-based line of the node at `path` (or of its nearest parent that exists). */
function lineOf(text: string, path: Path): number | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    // A key that names nothing: its pair is found through the parent mapping.
    const pos = node?.range?.[0];
    if (pos !== undefined) return counter.linePos(pos).line;
    if (n > 0) {
      const parent = doc.getIn(path.slice(0, n - 1), true) as
        { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
      const key = parent?.items?.find((i) => i.key?.value === path[n - 1])?.key?.range?.[0];
      if (key !== undefined) return counter.linePos(key).line;
    }
  }
  return undefined;
}

/** An error naming the file, the line and the key. */
export class ConfigFileError extends Error {}

const where = (file: string, line: number | undefined) => (line ? `${file}:${line}` : file);

/**
 * Parses a hand-written file (YAML, JSON, or JSON with '#' comment lines, as Marvin's configs are)
 * and checks it against `shape`, `what` naming the kind of file in messages.
 */
export function readConfigFile<T>(file: string, shape: Shape, what: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigFileError(`cannot read the ${what} ${file}: ${(err as Error).message}`);
  }
  const value = parseText(file, text, what);
  const problem = checkShape(value, shape);
  if (problem)
    throw new ConfigFileError(
      `${where(file, lineOf(text, problem.path))}: ${what}: ${showPath(problem.path)} ${problem.message}`,
    );
  return value as T;
}

function parseText(file: string, text: string, what: string): unknown {
  // '#' lines become blank so positions still point at the file's own lines.
  const json = text
    .split('\n')
    .map((l) => (l.trimStart().startsWith('#') ? '' : l))
    .join('\n');
  if (/^\s*[[{]/.test(json)) {
    try {
      return JSON.parse(json);
    } catch (err) {
      const at = /position (\d+)/.exec((err as Error).message)?.[1];
      const line = at === undefined ? undefined : json.slice(0, Number(at)).split('\n').length;
      throw new ConfigFileError(`${where(file, line)}: the ${what} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const [e] = doc.errors;
  if (e)
    throw new ConfigFileError(
      `${where(file, counter.linePos(e.pos[0]).line)}: the ${what} is not valid YAML: ${e.message.split('\n')[0]}`,
    );
  return doc.toJS();
}
