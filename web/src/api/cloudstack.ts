// The console's only way into the cloud: the CloudStack API at /client/api with a session, the
// way CloudStack's own UI calls it (JSESSIONID cookie set by login, sessionkey sent as a parameter).

export const API = '/client/api';

/** What login answers (loginresponse), kept for the tab's lifetime. */
export interface Session {
  username: string;
  userid: string;
  account: string;
  domainid: string;
  /** CloudStack's account type: "0" user, "1" root admin, "2" domain admin. */
  type: string;
  sessionkey: string;
  timeout: number;
  firstname?: string;
  lastname?: string;
}

/** An answer with an errorcode: its text is what the console shows. */
export class ApiError extends Error {
  constructor(
    readonly errorcode: number,
    readonly errortext: string,
    readonly command: string,
  ) {
    super(errortext);
  }
  /** CloudStack's answer to a command that is not there (or not for this user). */
  get unknownCommand(): boolean {
    return this.errorcode === 432;
  }
}

export type Params = Record<string, string | number | boolean | undefined>;
type Body = Record<string, unknown>;

const STORE_KEY = 'polystack.session';
const APIS_KEY = 'polystack.apis';

function form(params: Params): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') out.set(k, String(v));
  return out;
}

/** The one object inside `{"<command>response": {...}}`. */
function unwrap(json: unknown): Body {
  const outer = (json ?? {}) as Record<string, Body>;
  const first = Object.keys(outer)[0];
  return (first ? outer[first] : {}) ?? {};
}

class CloudStack {
  session: Session | undefined = readStored();
  /** Called once when the server no longer knows the session (it expired or was logged out elsewhere). */
  onExpired: (message: string) => void = () => {};
  private apis: Set<string> | undefined = readApis();

  get isRootAdmin(): boolean {
    return this.session?.type === '1';
  }

  get isAdmin(): boolean {
    return this.session?.type === '1' || this.session?.type === '2';
  }

  async login(username: string, password: string, domain: string): Promise<Session> {
    const res = await fetch(API, {
      method: 'POST',
      body: form({ command: 'login', username, password, domain: domain || '/', response: 'json' }),
      credentials: 'same-origin',
    });
    const body = unwrap(await res.json().catch(() => ({})));
    if (!res.ok || body['errortext'])
      throw new ApiError(
        Number(body['errorcode'] ?? res.status),
        String(body['errortext'] ?? `HTTP ${res.status}`),
        'login',
      );
    const s = { ...(body as unknown as Session), timeout: Number(body['timeout']) };
    this.session = s;
    this.apis = undefined;
    sessionStorage.removeItem(APIS_KEY);
    sessionStorage.setItem(STORE_KEY, JSON.stringify(s));
    return s;
  }

  async logout(): Promise<void> {
    try {
      await fetch(API, {
        method: 'POST',
        body: form({ command: 'logout', response: 'json', sessionkey: this.session?.sessionkey }),
        credentials: 'same-origin',
      });
    } finally {
      this.forget();
    }
  }

  forget(): void {
    this.session = undefined;
    this.apis = undefined;
    sessionStorage.removeItem(STORE_KEY);
    sessionStorage.removeItem(APIS_KEY);
  }

  /**
   * One command; answers the object inside its response envelope. Lists go as GET (cacheable,
   * bookmarkable in the network log, like CloudStack's UI); anything that changes state is POSTed.
   */
  async call<T = Body>(command: string, params: Params = {}): Promise<T> {
    const all = form({ ...params, command, response: 'json', sessionkey: this.session?.sessionkey });
    const get = /^(list|get|query)/.test(command);
    const res = await fetch(get ? `${API}?${all}` : API, {
      method: get ? 'GET' : 'POST',
      body: get ? undefined : all,
      credentials: 'same-origin',
    });
    const body = unwrap(
      await res
        .json()
        .catch(() => ({ errorresponse: { errorcode: res.status, errortext: `HTTP ${res.status} from ${command}` } })),
    );
    if (res.status === 401 && this.session) {
      this.forget();
      this.onExpired('Your session has expired or was ended. Log in again.');
    }
    if (!res.ok || body['errorcode'])
      throw new ApiError(
        Number(body['errorcode'] ?? res.status),
        String(body['errortext'] ?? `HTTP ${res.status}`),
        command,
      );
    return body as T;
  }

  /** A list command's items (under `key`) and its total count. */
  async list<T>(command: string, key: string, params: Params = {}): Promise<{ count: number; items: T[] }> {
    const body = await this.call<Record<string, unknown>>(command, params);
    const items = (body[key] as T[] | undefined) ?? [];
    return { count: Number(body['count'] ?? items.length), items };
  }

  /**
   * The commands this user may call (listApis), fetched once per session and kept with it: the
   * answer carries every command's parameters (most of a megabyte), and a reload should not wait
   * for it again. The console hides what is not there.
   */
  async available(): Promise<Set<string>> {
    if (!this.apis) {
      const { items } = await this.list<{ name: string }>('listApis', 'api');
      this.apis = new Set(items.map((a) => a.name));
      sessionStorage.setItem(APIS_KEY, JSON.stringify([...this.apis]));
    }
    return this.apis;
  }

  supports(command: string): boolean {
    return this.apis?.has(command) ?? false;
  }
}

function readApis(): Set<string> | undefined {
  try {
    const raw = sessionStorage.getItem(APIS_KEY);
    return raw ? new Set(JSON.parse(raw) as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function readStored(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORE_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export const cs = new CloudStack();

/** The text to show for any failure: the API's errortext when there is one. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.errortext;
  return e instanceof Error ? e.message : String(e);
}
