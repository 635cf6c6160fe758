import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import { runJob } from '../../api/jobs';
import { bytes, mhz, type Cluster, type Host, type Pod, type Zone } from '../../api/types';
import { CapacityBar } from '../../components/charts';
import { Confirm } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { Tabs } from '../../components/Tabs';
import { Empty, ErrorBanner, Loading, PageHeader, StateBadge } from '../../components/ui';
import { useNotify } from '../../notify';

/** A list that only exists on servers answering `command`; otherwise it says so instead of failing. */
function useOptionalList<T>(command: string, key: string) {
  return useLoad(async () => (cs.supports(command) ? (await cs.list<T>(command, key)).items : undefined), [command]);
}

function Missing({ command }: { command: string }) {
  return <Empty>This server does not answer {command}.</Empty>;
}

function Zones() {
  const zones = useLoad(() => cs.list<Zone>('listZones', 'zone').then((r) => r.items), []);
  if (zones.error) return <ErrorBanner error={zones.error} />;
  if (!zones.data) return <Loading />;
  return (
    <Table
      caption="Zones"
      rows={zones.data}
      rowKey={(z) => z.id}
      columns={[
        { key: 'name', label: 'Name', render: (z) => z.name, sortValue: (z) => z.name },
        {
          key: 'type',
          label: 'Network type',
          render: (z) => `${z.networktype}${z.securitygroupsenabled ? ' (security groups)' : ''}`,
        },
        { key: 'state', label: 'Allocation', render: (z) => <StateBadge state={z.allocationstate} /> },
        { key: 'dns', label: 'DNS', render: (z) => z.dns1 },
      ]}
    />
  );
}

function Pods() {
  const pods = useOptionalList<Pod>('listPods', 'pod');
  if (pods.error) return <ErrorBanner error={pods.error} />;
  if (pods.loading && !pods.data) return <Loading />;
  if (!pods.data) return <Missing command="listPods" />;
  return (
    <Table
      caption="Pods"
      rows={pods.data}
      rowKey={(p) => p.id}
      columns={[
        { key: 'name', label: 'Name', render: (p) => p.name, sortValue: (p) => p.name },
        { key: 'zone', label: 'Zone', render: (p) => (p as Pod & { zonename?: string }).zonename },
        { key: 'gateway', label: 'Gateway', render: (p) => p.gateway },
        { key: 'range', label: 'IP range', render: (p) => (p.startip ? `${p.startip} – ${p.endip}` : '') },
        { key: 'state', label: 'Allocation', render: (p) => <StateBadge state={p.allocationstate} /> },
      ]}
    />
  );
}

function Clusters() {
  const clusters = useOptionalList<Cluster & { podname?: string; zonename?: string }>('listClusters', 'cluster');
  if (clusters.error) return <ErrorBanner error={clusters.error} />;
  if (clusters.loading && !clusters.data) return <Loading />;
  if (!clusters.data) return <Missing command="listClusters" />;
  return (
    <Table
      caption="Clusters"
      rows={clusters.data}
      rowKey={(c) => c.id}
      columns={[
        { key: 'name', label: 'Name', render: (c) => c.name, sortValue: (c) => c.name },
        { key: 'pod', label: 'Pod', render: (c) => c.podname },
        { key: 'zone', label: 'Zone', render: (c) => c.zonename },
        { key: 'hv', label: 'Hypervisor', render: (c) => c.hypervisortype },
        { key: 'state', label: 'Allocation', render: (c) => <StateBadge state={c.allocationstate} /> },
      ]}
    />
  );
}

type HostRow = Host & { clustername?: string; zonename?: string };

/** Hosts with state and capacity; maintenance where the server has prepare/cancelHostMaintenance. */
function Hosts() {
  const hosts = useOptionalList<HostRow>('listHosts', 'host');
  const [pending, setPending] = useState<{ host: HostRow; enter: boolean }>();
  const notify = useNotify();
  useFeedRefresh(hosts.reload, (i) => i.kind === 'event' && i.type.startsWith('MAINT.'));
  if (hosts.error) return <ErrorBanner error={hosts.error} />;
  if (hosts.loading && !hosts.data) return <Loading />;
  if (!hosts.data) return <Missing command="listHosts" />;
  const inMaintenance = (h: HostRow) =>
    ['Maintenance', 'PrepareForMaintenance', 'ErrorInMaintenance'].includes(h.resourcestate ?? '');
  const canMaintain = (h: HostRow) =>
    cs.supports(inMaintenance(h) ? 'cancelHostMaintenance' : 'prepareHostForMaintenance');
  return (
    <>
      <Table
        caption="Hosts"
        rows={hosts.data.filter((h) => h.type === 'Routing')}
        rowKey={(h) => h.id}
        columns={[
          { key: 'name', label: 'Name', render: (h) => h.name, sortValue: (h) => h.name },
          { key: 'state', label: 'State', render: (h) => <StateBadge state={h.state} />, sortValue: (h) => h.state },
          {
            key: 'resource',
            label: 'Resource state',
            render: (h) => <StateBadge state={h.resourcestate} />,
            sortValue: (h) => h.resourcestate ?? '',
          },
          { key: 'where', label: 'Cluster / zone', render: (h) => `${h.clustername ?? ''} / ${h.zonename ?? ''}` },
          {
            key: 'cpu',
            label: 'CPU allocated',
            render: (h) => {
              const total = (h.cpunumber ?? 0) * (h.cpuspeed ?? 0);
              return (
                <CapacityBar
                  label={`CPU of ${h.name}`}
                  used={(parseFloat(h.cpuallocated ?? '0') / 100) * total}
                  total={total}
                  format={mhz}
                  compact
                />
              );
            },
            sortValue: (h) => parseFloat(h.cpuallocated ?? '0'),
          },
          {
            key: 'mem',
            label: 'Memory allocated',
            render: (h) => (
              <CapacityBar
                label={`Memory of ${h.name}`}
                used={h.memoryallocated ?? 0}
                total={h.memorytotal ?? 0}
                format={bytes}
                compact
              />
            ),
            sortValue: (h) => (h.memoryallocated ?? 0) / (h.memorytotal || 1),
          },
          {
            key: 'actions',
            label: 'Actions',
            render: (h) =>
              canMaintain(h) ? (
                <button
                  type="button"
                  className="link"
                  onClick={() => setPending({ host: h, enter: !inMaintenance(h) })}
                >
                  {inMaintenance(h) ? 'Cancel maintenance' : 'Enable maintenance'}
                </button>
              ) : null,
          },
        ]}
      />
      {pending && (
        <Confirm
          open
          title={pending.enter ? 'Put host into maintenance' : 'End host maintenance'}
          message={
            pending.enter
              ? `Put ${pending.host.name} into maintenance? Its instances are migrated to other hosts.`
              : `Take ${pending.host.name} out of maintenance?`
          }
          confirmLabel={pending.enter ? 'Enable maintenance' : 'Cancel maintenance'}
          onClose={() => setPending(undefined)}
          onConfirm={async () => {
            await runJob(
              pending.enter ? 'prepareHostForMaintenance' : 'cancelHostMaintenance',
              { id: pending.host.id },
              hosts.reload,
            );
            notify(`${pending.host.name} ${pending.enter ? 'is in maintenance' : 'is out of maintenance'}`, 'ok');
            hosts.reload();
          }}
        />
      )}
    </>
  );
}

export function Infrastructure() {
  return (
    <>
      <PageHeader title="Infrastructure" />
      <Tabs
        label="Infrastructure"
        tabs={[
          { id: 'zones', title: 'Zones', render: () => <Zones /> },
          { id: 'pods', title: 'Pods', render: () => <Pods /> },
          { id: 'clusters', title: 'Clusters', render: () => <Clusters /> },
          { id: 'hosts', title: 'Hosts', render: () => <Hosts /> },
        ]}
      />
    </>
  );
}
