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
export interface ApiSpec {
  name: string;
  isasync: boolean;
  description: string;
  since?: string;
  related?: string;
  params: ApiParamSpec[];
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

let byName: Map<string, ApiSpec> | undefined;

function load(): Map<string, ApiSpec> {
  const m = new Map<string, ApiSpec>();
  const apis = SPEC_FILES.flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as { api: ApiSpec[] }).api);
  for (const api of apis) {
    api.params = (api.params ?? []).map((p) => ({ ...p, required: !!p.required, length: p.length ?? 255 }));
    api.response = (api.response ?? []).filter((r) => r && Object.keys(r as object).length > 0);
    m.set(api.name.toLowerCase(), api);
  }
  return m;
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
