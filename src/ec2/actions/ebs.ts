import type { Ec2Context } from '../context.js';
import { actions } from './types.js';

/** Account settings live under the caller's key in the front's store (CloudStack has no such setting). */
const account = (ctx: Ec2Context) => `account:${ctx.creds.apiKey}`;
const KEY = 'ebsEncryptionByDefault';

export async function encryptionByDefault(ctx: Ec2Context): Promise<boolean> {
  return (await ctx.store.attrs([account(ctx)], KEY)).get(account(ctx)) === 'true';
}

async function setEncryption(ctx: Ec2Context, on: boolean) {
  await ctx.store.setAttr(account(ctx), KEY, String(on));
  return { EbsEncryptionByDefault: on };
}

/** EBS encryption by default (the setting; see GAPS.md for what it changes). */
export const ebsActions = actions({
  async GetEbsEncryptionByDefault(ctx) {
    return { EbsEncryptionByDefault: await encryptionByDefault(ctx) };
  },
  async EnableEbsEncryptionByDefault(ctx) {
    return setEncryption(ctx, true);
  },
  async DisableEbsEncryptionByDefault(ctx) {
    return setEncryption(ctx, false);
  },
  async GetEbsDefaultKmsKeyId() {
    // The AWS managed key's alias is what AWS answers until ModifyEbsDefaultKmsKeyId sets another.
    return { KmsKeyId: 'alias/aws/ebs' };
  },
});
