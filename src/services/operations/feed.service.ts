import type { Event, Job } from '../../domain/types.js';
import type { Store } from '../../store/db.js';
import { jobStore } from '../../store/job.store.js';
import { eventStore } from '../../store/volume.store.js';

export type FeedItem = { kind: 'event'; at: number; event: Event } | { kind: 'job'; at: number; job: Job };

/**
 * What happened since a point in time: recorded events and finished jobs, read from committed
 * rows (a rolled-back change never shows), each once per reader.
 */
export class FeedService {
  constructor(private store: Store) {}

  reader(from: number): () => Promise<FeedItem[]> {
    let since = from;
    const seen = new Set<string>();
    return async () => {
      const [events, jobs] = await Promise.all([
        eventStore.since(this.store.db, since),
        jobStore.finishedSince(this.store.db, since),
      ]);
      const items: FeedItem[] = [
        ...events
          .filter((e) => !seen.has(e.id))
          .map((e) => ({ kind: 'event' as const, at: Number(e.created), event: e })),
        ...jobs.filter((j) => !seen.has(j.id)).map((j) => ({ kind: 'job' as const, at: Number(j.completed), job: j })),
      ].sort((a, b) => a.at - b.at);
      for (const i of items) seen.add(i.kind === 'event' ? i.event.id : i.job.id);
      if (items.length) since = items[items.length - 1]!.at;
      if (seen.size > 50_000) seen.clear();
      return items;
    };
  }
}
