/** A logged-in CloudStack session over HTTP (no signing needed), for tests of the served process. */
export interface HttpSession {
  sessionkey: string;
  logout(): Promise<void>;
  call(command: string, params?: Record<string, string>): Promise<{ status: number; body: any }>;
}

export async function httpLogin(endpoint: string, username = 'admin', password = 'password'): Promise<HttpSession> {
  const r = await fetch(endpoint, {
    method: 'POST',
    body: new URLSearchParams({ command: 'login', username, password, response: 'json' }),
  });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${await r.text()}`);
  const sessionkey = (await r.json()).loginresponse.sessionkey as string;
  const jsession = /JSESSIONID=([^;]+)/.exec(r.headers.getSetCookie().join(';'))![1]!;
  return {
    sessionkey,
    async logout() {
      await fetch(endpoint, {
        method: 'POST',
        body: new URLSearchParams({ command: 'logout', sessionkey }),
        headers: { cookie: `JSESSIONID=${jsession}` },
      });
    },
    async call(command, params = {}) {
      const q = new URLSearchParams({ command, response: 'json', sessionkey, ...params });
      const res = await fetch(`${endpoint}?${q}`, { headers: { cookie: `JSESSIONID=${jsession}` } });
      const parsed = await res.json();
      return { status: res.status, body: parsed[Object.keys(parsed)[0]!] };
    },
  };
}
