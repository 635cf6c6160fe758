import { readFileSync } from 'node:fs';
import { specFile } from '../specs.js';

/** The CloudStack 4.18 API description (listApis output), shipped in specs/ and loaded, never retyped. */
export interface ApiParamSpec {
  name: string;
  type: string;
  required: boolean;
  length: number;
  description?: string;
  since?: string;
  related?: string;
}
/** What the pipeline needs of a command: its name, whether it is async, its parameters' types and limits. */
export interface ApiSpec {
  name: string;
  isasync: boolean;
  params: ApiParamSpec[];
}
/** A command as listApis describes it. */
export interface ApiDoc extends ApiSpec {
  description: string;
  since?: string;
  related?: string;
  response: unknown[];
}

/** The files that together describe the API: 4.18's listApis dump and the plugins' commands it lacks. */
export const SPEC_FILES = [
  specFile('cloudstack', 'listApis-4.18.json'),
  // The simulator plugin's commands are not in a non-simulator build's dump.
  specFile('cloudstack', 'simulator-apis.json'),
  // The backup framework's commands are not in a dump taken while backup.framework.enabled was off.
  specFile('cloudstack', 'backup-apis.json'),
];

/** ApiSpec in arrays: [name, isasync, [name, type, required, length][]] per command, in the files' order. */
export type ApiDigest = [string, 0 | 1, [string, string, 0 | 1, number][]][];

// Set by scripts/bundle.mjs: the digest of SPEC_FILES (~140 KB) instead of parsing 4 MB at the first request.
declare const POLYSTACK_API_DIGEST: string | undefined;

let docs: Map<string, ApiDoc> | undefined;
let byName: Map<string, ApiSpec> | undefined;

function loadDocs(): Map<string, ApiDoc> {
  const m = new Map<string, ApiDoc>();
  const apis = SPEC_FILES.flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as { api: ApiDoc[] }).api);
  for (const api of apis) {
    api.params = (api.params ?? []).map((p) => ({ ...p, required: !!p.required, length: p.length ?? 255 }));
    api.response = (api.response ?? []).filter((r) => r && Object.keys(r as object).length > 0);
    m.set(api.name.toLowerCase(), api);
  }
  return m;
}

export function digestApis(apis: Iterable<ApiSpec>): ApiDigest {
  return [...apis].map((a) => [
    a.name,
    a.isasync ? 1 : 0,
    a.params.map((p): [string, string, 0 | 1, number] => [p.name, p.type, p.required ? 1 : 0, p.length]),
  ]);
}

export function fromDigest(digest: ApiDigest): Map<string, ApiSpec> {
  return new Map(
    digest.map(([name, isasync, params]) => [
      name.toLowerCase(),
      {
        name,
        isasync: !!isasync,
        params: params.map(([n, type, required, length]) => ({ name: n, type, required: !!required, length })),
      },
    ]),
  );
}

function load(): Map<string, ApiSpec> {
  if (typeof POLYSTACK_API_DIGEST === 'string') return fromDigest(JSON.parse(POLYSTACK_API_DIGEST) as ApiDigest);
  return (docs ??= loadDocs());
}

/** Looks a command up by name, case-insensitively as the servlet does. */
export function apiSpec(command: string): ApiSpec | undefined {
  byName ??= load();
  return byName.get(command.toLowerCase());
}

export function allApiSpecs(): ApiSpec[] {
  byName ??= load();
  return [...byName.values()];
}

/** A command with its descriptions and response fields (listApis): read from SPEC_FILES the first time. */
export function apiDoc(command: string): ApiDoc | undefined {
  docs ??= loadDocs();
  return docs.get(command.toLowerCase());
}

export function allApiDocs(): ApiDoc[] {
  docs ??= loadDocs();
  return [...docs.values()];
}

/** Parameters a command takes, indexed by lower-cased name. */
const paramIndex = new WeakMap<ApiSpec, Map<string, ApiParamSpec>>();
export function paramsOf(api: ApiSpec): Map<string, ApiParamSpec> {
  let m = paramIndex.get(api);
  if (!m) {
    m = new Map(api.params.map((p) => [p.name.toLowerCase(), p]));
    paramIndex.set(api, m);
  }
  return m;
}
