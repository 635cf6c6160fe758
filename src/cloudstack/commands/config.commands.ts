import type { Configuration } from '../../domain/types.js';
import { invalid } from '../../domain/errors.js';
import { list, object, type CommandDef } from '../command.js';
import type { Params } from '../params.js';
import { SCOPE_PARAMS, scopeLabel, scopeOf, type ScopeTarget } from '../../services/infrastructure/settings.scopes.js';
import { displayText, GROUPS, groupOf, parentOf } from '../../services/infrastructure/settings.groups.js';
import { defaultOf, typeOf } from '../../services/infrastructure/config.service.js';
import { paging, slice } from './common.js';

/** A response's scope is the setting's own, or the scope asked for (UpdateCfgCmd / ListCfgsByCmd set it from the id given). */
const view = (c: Configuration, t?: ScopeTarget) => {
  const dflt = defaultOf(c.name);
  return {
    category: c.category,
    name: c.name,
    value: c.value ?? '',
    description: c.description,
    scope: t ? scopeLabel(t.scope) : scopeOf(c.name).toLowerCase(),
    isdynamic: true,
    component: 'management-server',
    displaytext: displayText(c.name),
    ...groupOf(c.name),
    parent: parentOf(c.name),
    defaultvalue: dflt,
    type: typeOf(dflt ?? c.value, c.name),
  };
};

/** The one scope id given, as ConfigurationManagerImpl reads it; resetConfiguration spells the image store's `imagestoreid`. */
function target(p: Params, imageStoreParam = 'imagestoreuuid'): ScopeTarget | undefined {
  const given = SCOPE_PARAMS.map(([param, scope]) => ({
    scope,
    id: p.uuid(param === 'imagestoreuuid' ? imageStoreParam : param),
  })).filter((t) => t.id);
  if (given.length > 1)
    throw invalid('cannot handle multiple IDs, provide only one ID corresponding to the scope', 'id');
  return given[0] as ScopeTarget | undefined;
}

export const configCommands: CommandDef[] = [
  {
    name: 'listConfigurations',
    admin: true,
    async handle({ services, params: p }) {
      const name = p.str('name'),
        category = p.str('category'),
        keyword = p.str('keyword'),
        t = target(p);
      const group = p.str('group'),
        subgroup = p.str('subgroup'),
        parent = p.str('parent');
      const all = (t ? await services.config.allIn(t) : services.config.all())
        .filter(
          (c) =>
            (!name || c.name === name) &&
            (!category || c.category === category) &&
            (!keyword || c.name.includes(keyword)),
        )
        .filter(
          (c) =>
            (!group || groupOf(c.name).group === group) &&
            (!subgroup || groupOf(c.name).subgroup === subgroup) &&
            (!parent || parentOf(c.name) === parent),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      return list(
        'configuration',
        slice(all, paging(p, services)).map((c) => view(c, t)),
        all.length,
      );
    },
  },
  {
    name: 'updateConfiguration',
    admin: true,
    async handle({ caller, services, params: p }) {
      const t = target(p);
      return object('configuration', view(await services.config.update(caller, p.req('name'), p.str('value'), t), t));
    },
  },
  {
    // ListCfgGroupsByCmd: the groups by precedence, each with its subgroups by precedence.
    name: 'listConfigurationGroups',
    admin: true,
    async handle({ services, params: p }) {
      const group = p.str('group'),
        keyword = p.str('keyword')?.toLowerCase();
      const all = [...GROUPS]
        .filter((g) => (!group || g.name === group) && (!keyword || g.name.toLowerCase().includes(keyword)))
        .sort((a, b) => a.precedence - b.precedence);
      const view = (g: (typeof GROUPS)[number]) => ({
        name: g.name,
        description: g.description,
        precedence: g.precedence,
        subgroup: [...g.subgroups]
          .sort((a, b) => a.precedence - b.precedence)
          .map((s) => ({ name: s.name, precedence: s.precedence })),
      });
      return list('configurationgroup', slice(all, paging(p, services)).map(view), all.length);
    },
  },
  {
    name: 'resetConfiguration',
    admin: true,
    async handle({ caller, services, params: p }) {
      const t = target(p, 'imagestoreid');
      return object('configuration', view(await services.config.reset(caller, p.req('name'), t), t));
    },
  },
];
