// The pages of the activity, fronts and local-cloud groups, added to the Shell's tables in one place.
import type { ReactNode } from 'react';
import type { Route } from '../router';
import { Alerts } from './activity/Alerts';
import { Capacity } from './activity/Capacity';
import { Events } from './activity/Events';
import { Jobs } from './activity/Jobs';
import { Credentials } from './fronts/Credentials';
import { FrontView } from './fronts/FrontView';
import { Controls } from './local/Controls';

export const MORE_PAGES: { path: RegExp; render: (m: RegExpMatchArray, r: Route) => ReactNode; rootOnly?: boolean }[] =
  [
    { path: /^\/events$/, render: (_m, r) => <Events route={r} /> },
    { path: /^\/jobs$/, render: () => <Jobs /> },
    { path: /^\/alerts$/, render: () => <Alerts />, rootOnly: true },
    { path: /^\/capacity$/, render: (_m, r) => <Capacity route={r} />, rootOnly: true },
    { path: /^\/fronts\/ec2$/, render: () => <FrontView key="ec2" front="ec2" /> },
    { path: /^\/fronts\/gce$/, render: () => <FrontView key="gce" front="gce" /> },
    { path: /^\/credentials$/, render: () => <Credentials /> },
    { path: /^\/local$/, render: () => <Controls />, rootOnly: true },
  ];

export const MORE_NAV: { label: string; path: string; rootOnly?: boolean; group?: string }[] = [
  { label: 'Events', path: '/events', group: 'Activity' },
  { label: 'Async jobs', path: '/jobs', group: 'Activity' },
  { label: 'Alerts', path: '/alerts', rootOnly: true, group: 'Activity' },
  { label: 'Capacity', path: '/capacity', rootOnly: true, group: 'Activity' },
  { label: 'EC2 view', path: '/fronts/ec2', group: 'Other fronts' },
  { label: 'GCE view', path: '/fronts/gce', group: 'Other fronts' },
  { label: 'Credentials', path: '/credentials', group: 'Other fronts' },
  { label: 'Clock, reset, state', path: '/local', rootOnly: true, group: 'Local cloud' },
];
