import type { ReactNode } from 'react';
import type { Route } from '../../router';
import { AffinityGroupDetail, AffinityGroups } from './AffinityGroups';
import { ImageDetail, Images } from './Images';
import { LoadBalancerDetail, LoadBalancers } from './LoadBalancers';
import { OfferingDetail, Offerings, type OfferingKind } from './Offerings';
import { PortForwarding } from './PortForwarding';
import { ProjectDetail, Projects } from './Projects';
import { Settings } from './Settings';
import { SnapshotDetail, Snapshots } from './Snapshots';
import { VmSnapshots } from './VmSnapshots';
import { VolumeDetail, Volumes } from './Volumes';
import { VpcDetail, Vpcs } from './Vpcs';
import './resources.css';

// The storage, image, VPC, load-balancing, project, affinity, offering and settings pages, kept
// in one list that the shell appends to its own routes and menu.

export interface ResourcePage {
  path: RegExp;
  render: (m: RegExpMatchArray, r: Route) => ReactNode;
  rootOnly?: boolean;
}

const ID = '([\\w-]+)';
const at = (path: string) => new RegExp(`^${path.replace(/:id/g, ID)}$`);

export const RESOURCE_PAGES: ResourcePage[] = [
  { path: at('/volumes'), render: (_m, r) => <Volumes route={r} /> },
  { path: at('/volumes/:id'), render: (m) => <VolumeDetail id={m[1]!} /> },
  { path: at('/snapshots'), render: (_m, r) => <Snapshots route={r} /> },
  { path: at('/snapshots/:id'), render: (m) => <SnapshotDetail id={m[1]!} /> },
  { path: at('/vm-snapshots'), render: (_m, r) => <VmSnapshots route={r} /> },
  { path: at('/templates'), render: (_m, r) => <Images kind="template" route={r} /> },
  { path: at('/templates/:id'), render: (m) => <ImageDetail kind="template" id={m[1]!} /> },
  { path: at('/isos'), render: (_m, r) => <Images kind="iso" route={r} /> },
  { path: at('/isos/:id'), render: (m) => <ImageDetail kind="iso" id={m[1]!} /> },
  { path: at('/vpcs'), render: (_m, r) => <Vpcs route={r} /> },
  { path: at('/vpcs/:id'), render: (m) => <VpcDetail id={m[1]!} /> },
  { path: at('/load-balancers'), render: (_m, r) => <LoadBalancers route={r} /> },
  { path: at('/load-balancers/:id'), render: (m) => <LoadBalancerDetail id={m[1]!} /> },
  { path: at('/port-forwarding'), render: (_m, r) => <PortForwarding route={r} /> },
  { path: at('/projects'), render: (_m, r) => <Projects route={r} /> },
  { path: at('/projects/:id'), render: (m) => <ProjectDetail id={m[1]!} /> },
  { path: at('/affinity-groups'), render: (_m, r) => <AffinityGroups route={r} /> },
  { path: at('/affinity-groups/:id'), render: (m) => <AffinityGroupDetail id={m[1]!} /> },
  { path: /^\/offerings$/, render: (_m, r) => <Offerings kind="service" route={r} /> },
  {
    path: /^\/offerings\/(service|disk|network|vpc)$/,
    render: (m, r) => <Offerings kind={m[1] as OfferingKind} route={r} />,
  },
  {
    path: new RegExp(`^/offerings/(service|disk|network|vpc)/${ID}$`),
    render: (m) => <OfferingDetail kind={m[1] as OfferingKind} id={m[2]!} />,
  },
  { path: at('/settings'), render: (_m, r) => <Settings route={r} />, rootOnly: true },
];

export const RESOURCE_NAV: { label: string; path: string; rootOnly?: boolean; group?: string }[] = [
  { label: 'Volumes', path: '/volumes', group: 'Storage' },
  { label: 'Snapshots', path: '/snapshots', group: 'Storage' },
  { label: 'Instance snapshots', path: '/vm-snapshots', group: 'Storage' },
  { label: 'Templates', path: '/templates', group: 'Images' },
  { label: 'ISOs', path: '/isos', group: 'Images' },
  { label: 'VPCs', path: '/vpcs', group: 'Networking' },
  { label: 'Load balancers', path: '/load-balancers', group: 'Networking' },
  { label: 'Port forwarding', path: '/port-forwarding', group: 'Networking' },
  { label: 'Affinity groups', path: '/affinity-groups', group: 'Compute' },
  { label: 'Projects', path: '/projects', group: 'Administration' },
  { label: 'Offerings', path: '/offerings', group: 'Administration' },
  { label: 'Global settings', path: '/settings', rootOnly: true, group: 'Administration' },
];
