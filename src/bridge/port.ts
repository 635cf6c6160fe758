/**
 * The CloudStack port: how the GCE and EC2 fronts reach a CloudStack cloud. Every request they
 * translate becomes one CloudStack command signed with the user's own key pair, so the same
 * fronts work in front of polystack's simulator (in process) or of any real CloudStack (HTTP).
 */
export interface Credentials {
  apiKey: string;
  secretKey: string;
}

export type CsParams = Record<string, string | number | boolean | undefined | string[] | Record<string, string>[]>;

export interface CsAnswer {
  /** The HTTP status CloudStack answered with (= errorcode on failure). */
  status: number;
  /**
   * The object under the `<command>response` key: the command's answer on a 200, its error
   * (errorcode, errortext) otherwise. Read it typed through wire-call.ts.
   */
  body: unknown;
}

export interface CloudStackPort {
  call(creds: Credentials, command: string, params?: CsParams): Promise<CsAnswer>;
  /** The secret of an API key, for fronts that check their own signatures (EC2 SigV4/SigV2). */
  secretOf(apiKey: string): Promise<string | undefined>;
  /**
   * Resolves when one of these async jobs may have moved on (ended, or its VM was placed), at the
   * latest after `ms`. Only a port in process can hear that; callers of a remote one poll instead.
   */
  jobsMoved?(jobIds: string[], ms: number): Promise<void>;
}

/** CloudStack's wire form of params: lists comma-joined, maps as name[i].key=value. */
export function flatten(params: CsParams): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') {
      (v as Record<string, string>[]).forEach((entry, i) => {
        for (const [field, value] of Object.entries(entry)) out.push([`${k}[${i}].${field}`, value]);
      });
    } else if (Array.isArray(v)) {
      if (v.length) out.push([k, (v as string[]).join(',')]);
    } else out.push([k, String(v)]);
  }
  return out;
}

/** The object under an answer's only key (`<command>response`, or `errorresponse`); {} when there is none. */
export function answerBody(parsed: unknown): unknown {
  const top = parsed && typeof parsed === 'object' ? Object.values(parsed) : [];
  return top[0] ?? {};
}
