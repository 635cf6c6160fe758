import { randomBytes } from 'node:crypto';
import type { TagSpecification } from '@aws-sdk/client-ec2';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import type { TemplateRow, VersionRow } from '../launchtemplates.store.js';
import { templateData } from './launchtemplates.data.js';
import { oneTemplate, pickVersion, templates } from './launchtemplates.lookup.js';
import { callerOwnerId } from './owner.js';
import { page } from './paging.js';
import { actions } from './types.js';

const NAME = /^[a-zA-Z0-9().\-/_]{3,128}$/;

function checkName(name: string | undefined): string {
  if (!name) throw ec2Error('MissingParameter', 'The request must contain the parameter LaunchTemplateName');
  if (!NAME.test(name))
    throw ec2Error(
      'InvalidLaunchTemplateName.MalformedException',
      'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.',
    );
  return name;
}

function templateView(t: TemplateRow, versions: VersionRow[]) {
  const mine = versions.filter((v) => v.templateId === t.id).map((v) => v.version);
  return {
    LaunchTemplateId: t.id,
    LaunchTemplateName: t.name,
    CreateTime: t.createTime,
    CreatedBy: t.createdBy,
    DefaultVersionNumber: t.defaultVersion,
    LatestVersionNumber: mine.length ? Math.max(...mine) : t.lastVersion,
    Tags: t.tags,
  };
}

function versionView(t: TemplateRow, v: VersionRow) {
  return {
    LaunchTemplateId: t.id,
    LaunchTemplateName: t.name,
    VersionNumber: v.version,
    VersionDescription: v.description ?? undefined,
    CreateTime: v.createTime,
    CreatedBy: t.createdBy,
    DefaultVersion: v.version === t.defaultVersion,
    LaunchTemplateData: v.data,
  };
}

const tagsOf = (specs: TagSpecification[] | undefined, type: string) =>
  (specs ?? [])
    .filter((s) => s.ResourceType === type)
    .flatMap((s) => s.Tags ?? [])
    .map((x) => ({ Key: x.Key ?? '', Value: x.Value ?? '' }));

/** Items without tags still take the `tag:` filters (they match none). */
const untagged = <T>(xs: T[]) => xs as (T & { Tags?: undefined })[];

export const launchTemplateActions = actions({
  async CreateLaunchTemplate(ctx, input) {
    const name = checkName(input.LaunchTemplateName);
    if (!input.LaunchTemplateData)
      throw ec2Error('MissingParameter', 'The request must contain the parameter LaunchTemplateData');
    const now = ctx.clock.now();
    const t: TemplateRow = {
      id: `lt-${randomBytes(9).toString('hex').slice(0, 17)}`,
      accountKey: ctx.creds.apiKey,
      name,
      createdBy: `arn:aws:iam::${await callerOwnerId(ctx)}:root`,
      createTime: now,
      defaultVersion: 1,
      lastVersion: 1,
      tags: tagsOf(input.TagSpecifications, 'launch-template'),
    };
    const data = await templateData(ctx, input.LaunchTemplateData);
    const first: VersionRow = {
      templateId: t.id,
      version: 1,
      description: input.VersionDescription ?? null,
      data,
      createTime: now,
    };
    if (!(await templates(ctx).create(t, first)))
      throw ec2Error('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
    return { LaunchTemplate: templateView(t, [first]) };
  },
  async CreateLaunchTemplateVersion(ctx, input) {
    const t = await oneTemplate(ctx, input);
    if (!input.LaunchTemplateData)
      throw ec2Error('MissingParameter', 'The request must contain the parameter LaunchTemplateData');
    // SourceVersion's data is the base; what this request gives replaces it member by member.
    const base =
      input.SourceVersion !== undefined
        ? pickVersion(t, await templates(ctx).versions([t.id]), input.SourceVersion).data
        : {};
    const v = await templates(ctx).addVersion(
      t.id,
      input.VersionDescription ?? null,
      { ...base, ...(await templateData(ctx, input.LaunchTemplateData)) },
      ctx.clock.now(),
    );
    return { LaunchTemplateVersion: versionView(t, v) };
  },
  async DescribeLaunchTemplates(ctx, input) {
    if (input.MaxResults !== undefined && (input.LaunchTemplateIds?.length || input.LaunchTemplateNames?.length))
      throw ec2Error(
        'InvalidParameterCombination',
        'The parameter MaxResults cannot be used with LaunchTemplateIds or LaunchTemplateNames',
      );
    const all = await templates(ctx).list(ctx.creds.apiKey);
    for (const id of input.LaunchTemplateIds ?? [])
      if (!all.some((t) => t.id === id))
        throw ec2Error(
          'InvalidLaunchTemplateId.NotFound',
          `At least one of the launch templates specified in the request does not exist.`,
        );
    for (const n of input.LaunchTemplateNames ?? [])
      if (!all.some((t) => t.name === n))
        throw ec2Error(
          'InvalidLaunchTemplateName.NotFoundException',
          `At least one of the launch templates specified in the request does not exist.`,
        );
    const named = all.filter(
      (t) =>
        (!input.LaunchTemplateIds?.length || input.LaunchTemplateIds.includes(t.id)) &&
        (!input.LaunchTemplateNames?.length || input.LaunchTemplateNames.includes(t.name)),
    );
    const versions = await templates(ctx).versions(named.map((t) => t.id));
    const views = applyFilters(
      named.map((t) => templateView(t, versions)),
      input.Filters,
      {
        'launch-template-name': (t) => [t.LaunchTemplateName],
        'create-time': (t) => [new Date(t.CreateTime).toISOString()],
      },
    );
    const { items, next } = page(views, input.MaxResults, input.NextToken, 1, 200);
    return { LaunchTemplates: items, NextToken: next };
  },
  async DescribeLaunchTemplateVersions(ctx, input) {
    const store = templates(ctx);
    // Without a template, AWS describes the $Latest or $Default versions of every template.
    const ts =
      input.LaunchTemplateId || input.LaunchTemplateName
        ? [await oneTemplate(ctx, input)]
        : await store.list(ctx.creds.apiKey);
    if (ts.length > 1 && (!input.Versions?.length || input.Versions.some((v) => v !== '$Latest' && v !== '$Default')))
      throw ec2Error(
        'MissingParameter',
        'The request must contain the parameter LaunchTemplateName or LaunchTemplateId unless Versions is $Latest or $Default',
      );
    const versions = await store.versions(ts.map((t) => t.id));
    const min = input.MinVersion !== undefined ? Number(input.MinVersion) : -Infinity;
    const max = input.MaxVersion !== undefined ? Number(input.MaxVersion) : Infinity;
    const picked: { t: TemplateRow; v: VersionRow }[] = [];
    for (const t of ts) {
      const chosen = input.Versions?.length
        ? input.Versions.map((spec) => pickVersion(t, versions, spec))
        : versions.filter((v) => v.templateId === t.id);
      for (const v of chosen)
        if (v.version >= min && v.version <= max && !picked.some((p) => p.v === v)) picked.push({ t, v });
    }
    const views = applyFilters(untagged(picked.map(({ t, v }) => versionView(t, v))), input.Filters, {
      'is-default-version': (v) => [String(v.DefaultVersion)],
      'image-id': (v) => [String(v.LaunchTemplateData['ImageId'] ?? '')],
      'instance-type': (v) => [String(v.LaunchTemplateData['InstanceType'] ?? '')],
      'create-time': (v) => [new Date(v.CreateTime).toISOString()],
    });
    const { items, next } = page(views, input.MaxResults, input.NextToken, 1, 200);
    return { LaunchTemplateVersions: items, NextToken: next };
  },
  async ModifyLaunchTemplate(ctx, input) {
    const t = await oneTemplate(ctx, input);
    const versions = await templates(ctx).versions([t.id]);
    if (input.DefaultVersion !== undefined) {
      const v = pickVersion(t, versions, input.DefaultVersion);
      await templates(ctx).setDefault(t.id, v.version);
      t.defaultVersion = v.version;
    }
    return { LaunchTemplate: templateView(t, versions) };
  },
  async DeleteLaunchTemplate(ctx, input) {
    const t = await oneTemplate(ctx, input);
    const versions = await templates(ctx).versions([t.id]);
    await templates(ctx).delete(t.id);
    return { LaunchTemplate: templateView(t, versions) };
  },
  async DeleteLaunchTemplateVersions(ctx, input) {
    const t = await oneTemplate(ctx, input);
    if (!input.Versions?.length)
      throw ec2Error('MissingParameter', 'The request must contain the parameter LaunchTemplateVersion');
    const versions = await templates(ctx).versions([t.id]);
    const ok = [];
    const failed = [];
    const who = { LaunchTemplateId: t.id, LaunchTemplateName: t.name };
    // Each version succeeds or fails on its own; the default version stays (AWS deletes it only with the template).
    for (const spec of input.Versions) {
      const n = Number(spec);
      const v = versions.find((x) => x.version === n);
      if (!v)
        failed.push({
          ...who,
          VersionNumber: Number.isFinite(n) ? n : undefined,
          ResponseError: {
            Code: 'launchTemplateVersionDoesNotExist',
            Message: `Could not find launch template version ${spec}.`,
          },
        });
      else if (v.version === t.defaultVersion)
        failed.push({
          ...who,
          VersionNumber: n,
          ResponseError: {
            Code: 'unexpectedError',
            Message: 'Cannot delete the default version of a launch template. Delete the launch template instead.',
          },
        });
      else {
        await templates(ctx).deleteVersion(t.id, v.version);
        ok.push({ ...who, VersionNumber: n });
      }
    }
    return { SuccessfullyDeletedLaunchTemplateVersions: ok, UnsuccessfullyDeletedLaunchTemplateVersions: failed };
  },
});
