import assert from 'node:assert/strict';
import { google, type compute_v1 } from 'googleapis';
import { OAuth2Client } from 'google-auth-library';
import type { TestServer } from '../helpers/server.js';

/** The googleapis Node client (`rootUrl`), authorized with a token from polystack's token endpoint (client_credentials). */
export async function googleCompute(s: TestServer): Promise<compute_v1.Compute> {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: await gceToken(s) });
  return google.compute({ version: 'v1', auth, rootUrl: `${s.url}/` });
}

/** A bearer token from polystack's token endpoint (client_credentials), for raw HTTP calls. */
export async function gceToken(s: TestServer): Promise<string> {
  const res = await fetch(`${s.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: s.apiKey, client_secret: s.secretKey }),
  });
  assert.equal(res.status, 200);
  const token = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
  assert.equal(token.token_type, 'Bearer');
  return token.access_token;
}
