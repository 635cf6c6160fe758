import { cs, csCall, csJob, csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { checkName, oneImage } from './images.js';
import { actions } from './types.js';

interface Template {
  id: string;
  url?: string;
  format?: string;
  hypervisor?: string;
  ostypeid?: string;
  zoneid?: string;
  crossZones?: boolean;
  passwordenabled?: boolean;
  tags?: { key: string; value: string }[];
}

/**
 * A new template with the source's content: from the snapshot behind it (an AMI made of a running
 * instance or registered from a snapshot), else from the URL it was registered from, in the same
 * zones. CloudStack's copyTemplate only spreads one template over zones, which is not a new AMI.
 */
async function copyTemplate(
  ctx: Ec2Context,
  t: Template,
  sourceId: string,
  name: string,
  description: string,
): Promise<string> {
  const snapshot = (await ctx.store.attrs([t.id], 'snapshot')).get(t.id);
  if (snapshot) {
    const r = await cs(ctx, 'createTemplate', {
      snapshotid: snapshot,
      name,
      displaytext: description,
      ostypeid: t.ostypeid,
      passwordenabled: t.passwordenabled,
    });
    await ctx.store.setAttr(r['id'], 'snapshot', snapshot);
    return r['id'] as string;
  }
  if (t.url) {
    const r = await csCall(ctx, 'registerTemplate', {
      name,
      displaytext: description,
      url: t.url,
      format: t.format,
      hypervisor: t.hypervisor,
      ostypeid: t.ostypeid,
      zoneid: t.crossZones || !t.zoneid ? '-1' : t.zoneid,
      passwordenabled: t.passwordenabled,
    });
    if (r.error) throw ec2Error('InvalidParameterValue', String(r.error?.errortext));
    return r.body['template'][0].id as string;
  }
  throw ec2Error(
    'InvalidParameterValue',
    `AMI ${sourceId} cannot be copied: it was made from a stopped instance's disk, and CloudStack keeps neither a snapshot nor a source URL of it`,
  );
}

export const imageCopyActions = actions({
  async CopyImage(ctx, input) {
    if (!input.SourceRegion) throw ec2Error('MissingParameter', 'The request must contain the parameter SourceRegion');
    if (!input.SourceImageId)
      throw ec2Error('MissingParameter', 'The request must contain the parameter SourceImageId');
    if (input.SourceRegion !== ctx.region)
      throw ec2Error('InvalidParameterValue', `Invalid region: polystack has one region, ${ctx.region}`);
    if (input.Encrypted || input.KmsKeyId)
      throw ec2Error('InvalidParameterValue', 'Encrypted copies are not supported: polystack images are not encrypted');
    const image = await oneImage(ctx, input.SourceImageId);
    await checkName(ctx, input.Name);
    const [t] = (await csList(ctx, 'listTemplates', 'template', {
      templatefilter: 'executable',
      id: image.csId,
    })) as Template[];
    const source =
      t ??
      ((await csList(ctx, 'listTemplates', 'template', { templatefilter: 'self', id: image.csId })) as Template[])[0];
    if (!source) throw ec2Error('InvalidAMIID.NotFound', `The image id '[${input.SourceImageId}]' does not exist`);
    const csId = await copyTemplate(
      ctx,
      source,
      input.SourceImageId,
      input.Name!,
      input.Description || image.Description || input.Name!,
    );
    const tags = input.CopyImageTags ? (source.tags ?? []) : [];
    if (tags.length)
      await csJob(ctx, 'createTags', {
        resourcetype: 'Template',
        resourceids: [csId],
        tags: tags.map((x) => ({ key: x.key, value: x.value })),
      });
    return { ImageId: await ctx.ids.of('image', csId) };
  },
  /** ResetImageAttribute launchPermission: the AMI is shared with no one again (not public, no accounts). */
  async ResetImageAttribute(ctx, input) {
    if (!input.Attribute) throw ec2Error('MissingParameter', 'The request must contain the parameter Attribute');
    if (input.Attribute !== 'launchPermission')
      throw ec2Error(
        'InvalidParameterValue',
        `Value (${input.Attribute}) for parameter attribute is invalid. Only launchPermission can be reset.`,
      );
    const image = await oneImage(ctx, input.ImageId);
    const [own] = await csList(ctx, 'listTemplates', 'template', { templatefilter: 'self', id: image.csId });
    if (!own) throw ec2Error('AuthFailure', `Not authorized for image:${input.ImageId}`);
    const p = (await cs(ctx, 'listTemplatePermissions', { id: image.csId }))['templatepermission'];
    if (p?.ispublic) await cs(ctx, 'updateTemplatePermissions', { id: image.csId, ispublic: false });
    const others = (p?.account ?? []).filter((n) => n !== own.account);
    if (others.length) await cs(ctx, 'updateTemplatePermissions', { id: image.csId, accounts: others, op: 'remove' });
    return { Return: true };
  },
});
