import type { Services } from '../../server/services.js';
import type { ResultRenderer } from '../views/job.view.js';
import { volumeView } from '../views/volume.view.js';

/** How storage and image jobs' result objects are shown, keyed by the result's instance type. */
export function storageRenderers(s: Services): Record<string, ResultRenderer> {
  return {
    Volume: async (lk, id) => {
      const v = await s.volumes.find(id);
      return v ? ['volume', await volumeView(lk, v)] : undefined;
    },
  };
}
