import type { AsPolicy, AsVmGroup, AsVmProfile, Condition, Counter } from '../../domain/autoscale.js';
import type { Services } from '../../services/services.js';
import type { Lookup } from '../../services/lookup.service.js';
import type { ResultRenderer } from '../views/job.view.js';
import { conditionView, counterView, groupView, policyView, profileView } from '../views/autoscale.view.js';

/** Views of the autoscale objects, with what each shows of the others (a policy its conditions, a group its policies). */
export const autoScaleViews = {
  counter: counterView,
  async conditions(s: Services, conditions: Condition[]): Promise<Record<string, unknown>[]> {
    const lk = s.lookup();
    const counters = new Map((await s.autoscale.rules.counters({})).map((c): [string, Counter] => [c.id, c]));
    return Promise.all(conditions.map((c) => conditionView(lk, c, counters.get(c.counterId))));
  },
  async policies(s: Services, policies: AsPolicy[]): Promise<Record<string, unknown>[]> {
    const lk = s.lookup();
    const conditions = await s.autoscale.rules.conditionsOfPolicies(policies.map((p) => p.id));
    return Promise.all(
      policies.map(async (p) => policyView(lk, p, await autoScaleViews.conditions(s, conditions.get(p.id) ?? []))),
    );
  },
  profile: (lk: Lookup, p: AsVmProfile) => profileView(lk, p),
  async groups(s: Services, groups: AsVmGroup[]): Promise<Record<string, unknown>[]> {
    const lk = s.lookup();
    return Promise.all(
      groups.map(async (g) => {
        const x = await s.autoscale.groups.extras(g);
        const [scaleUp, scaleDown] = await Promise.all([
          autoScaleViews.policies(s, x.scaleUp),
          autoScaleViews.policies(s, x.scaleDown),
        ]);
        return groupView(lk, g, { scaleUp, scaleDown, availableVms: x.availableVms, lbProvider: x.lbProvider });
      }),
    );
  },
};

/** How the autoscale jobs' result objects are shown, keyed by the result's instance type. */
export function autoScaleRenderers(s: Services): Record<string, ResultRenderer> {
  return {
    Counter: async (_lk, id) => {
      const [c] = await s.autoscale.rules.counters({ id });
      return c ? ['counter', counterView(c)] : undefined;
    },
    Condition: async (_lk, id) => {
      const c = await s.autoscale.rules.findCondition(id);
      return c ? ['condition', (await autoScaleViews.conditions(s, [c]))[0]!] : undefined;
    },
    AutoScalePolicy: async (_lk, id) => {
      const p = await s.autoscale.rules.findPolicy(id);
      return p ? ['autoscalepolicy', (await autoScaleViews.policies(s, [p]))[0]!] : undefined;
    },
    AutoScaleVmProfile: async (lk, id) => {
      const p = await s.autoscale.profiles.find(id);
      return p ? ['autoscalevmprofile', await profileView(lk, p)] : undefined;
    },
    AutoScaleVmGroup: async (_lk, id) => {
      const g = await s.autoscale.groups.find(id);
      return g ? ['autoscalevmgroup', (await autoScaleViews.groups(s, [g]))[0]!] : undefined;
    },
  };
}
