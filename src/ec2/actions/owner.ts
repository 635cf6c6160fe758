import { csList, memo, ownerId, type Ec2Context } from '../context.js';

/** The caller's 12-digit owner id: its user (by its API key) in the users CloudStack lets it list. */
export function callerOwnerId(ctx: Ec2Context): Promise<string> {
  return memo(ctx, 'callerOwnerId', async () => {
    const users = await csList(ctx, 'listUsers', 'user');
    const me = users.find((u) => u.apikey === ctx.creds.apiKey) ?? users[0];
    return ownerId(String(me?.accountid ?? ctx.creds.apiKey));
  });
}
