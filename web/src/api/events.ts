import { useEffect, useRef } from 'react';
import { cs } from './cloudstack';

/** An item of /_polystack/events: a CloudStack event, or a job that finished. */
export type FeedItem =
  | {
      kind: 'event';
      id: string;
      type: string;
      level: string;
      description: string;
      resourceType?: string;
      resourceId?: string;
      created: string;
    }
  | {
      kind: 'job';
      jobId: string;
      cmd: string;
      status: string;
      instanceType?: string;
      instanceId?: string;
      completed: string;
    };

type Listener = (item: FeedItem) => void;

/**
 * One EventSource per tab, shared by every component that listens. The session key goes in the
 * query string: the session cookies stay on /client and an EventSource cannot send headers.
 */
class Feed {
  private source: EventSource | undefined;
  private listeners = new Set<Listener>();

  subscribe(l: Listener): () => boolean {
    this.listeners.add(l);
    this.open();
    // The stream stays open between pages (it is closed at logout), so moving around costs no reconnect.
    return () => this.listeners.delete(l);
  }

  private open(): void {
    const key = cs.session?.sessionkey;
    if (this.source || !key || typeof EventSource === 'undefined') return;
    const src = new EventSource(`/_polystack/events?sessionkey=${encodeURIComponent(key)}`);
    const emit = (kind: 'event' | 'job') => (e: MessageEvent<string>) => {
      const item = { kind, ...JSON.parse(e.data) } as FeedItem;
      for (const l of this.listeners) l(item);
    };
    src.addEventListener('event', emit('event'));
    src.addEventListener('job', emit('job'));
    this.source = src;
  }

  close(): void {
    this.source?.close();
    this.source = undefined;
  }
}

export const feed = new Feed();

/** Calls `onItem` for each event and finished job while the component is mounted. */
export function useFeed(onItem: Listener): void {
  const ref = useRef(onItem);
  ref.current = onItem;
  useEffect(() => {
    const off = feed.subscribe((i) => ref.current(i));
    return () => void off();
  }, []);
}

/** Reloads (at most twice a second) when an item arrives that `match` accepts: lists follow the cloud as it changes. */
export function useFeedRefresh(reload: () => void, match: (i: FeedItem) => boolean = () => true): void {
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useFeed((i) => {
    if (!match(i) || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      reload();
    }, 500);
  });
}
