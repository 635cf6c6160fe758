import type { Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { LaunchTemplateStore, type TemplateRow, type VersionRow } from '../launchtemplates.store.js';

export const templates = (ctx: Ec2Context): LaunchTemplateStore => new LaunchTemplateStore(ctx.store.db);

export interface Which {
  LaunchTemplateId?: string;
  LaunchTemplateName?: string;
}

/** The caller's template named by id or by name (exactly one of them), or AWS's NotFound for that member. */
export async function oneTemplate(ctx: Ec2Context, which: Which): Promise<TemplateRow> {
  const { LaunchTemplateId: id, LaunchTemplateName: name } = which;
  if (id && name)
    throw ec2Error(
      'InvalidParameterCombination',
      'The parameters LaunchTemplateId and LaunchTemplateName cannot be used together',
    );
  if (id) {
    const t = await templates(ctx).byId(ctx.creds.apiKey, id);
    if (!t)
      throw ec2Error(
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${id}, does not exist.`,
      );
    return t;
  }
  if (name) {
    const t = await templates(ctx).byName(ctx.creds.apiKey, name);
    if (!t)
      throw ec2Error(
        'InvalidLaunchTemplateName.NotFoundException',
        `The specified launch template, with template name ${name}, does not exist.`,
      );
    return t;
  }
  throw ec2Error('MissingParameter', 'The request must contain the parameter LaunchTemplateName or LaunchTemplateId');
}

/** A version by number, `$Latest` or `$Default` (no version: the default), else VersionNotFound. */
export function pickVersion(t: TemplateRow, versions: VersionRow[], spec: string | undefined): VersionRow {
  const mine = versions.filter((v) => v.templateId === t.id);
  const wanted =
    spec === undefined || spec === '$Default'
      ? t.defaultVersion
      : spec === '$Latest'
        ? Math.max(...mine.map((v) => v.version))
        : /^\d{1,18}$/.test(spec)
          ? Number(spec)
          : NaN;
  const found = mine.find((v) => v.version === wanted);
  if (!found)
    throw ec2Error(
      'InvalidLaunchTemplateId.VersionNotFound',
      `Could not find launch template version ${spec} for launch template ${t.id}.`,
    );
  return found;
}
