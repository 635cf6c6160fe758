import { handleApi } from '../../src/cloudstack/api.js';
import type { Services } from '../../src/services/services.js';

/** The admin's session in process (the profile scripts): the pairs and cookies a request carries, and a JSON call. */
export async function adminSession(services: Services) {
  const login = await handleApi(services, {
    method: 'POST',
    pairs: [
      ['command', 'login'],
      ['username', 'admin'],
      ['password', 'password'],
      ['response', 'json'],
    ],
    cookies: {},
  });
  const sessionkey: string = JSON.parse(login.body).loginresponse.sessionkey;
  const cookies = {
    JSESSIONID: /JSESSIONID=([^;]+)/.exec(([] as string[]).concat(login.headers!['Set-Cookie']!).join(';'))![1]!,
  };
  const api = async (params: Record<string, string>) =>
    JSON.parse(
      (
        await handleApi(services, {
          method: 'GET',
          pairs: [...Object.entries(params), ['response', 'json'], ['sessionkey', sessionkey]],
          cookies,
        })
      ).body,
    );
  return { sessionkey, cookies, api };
}
