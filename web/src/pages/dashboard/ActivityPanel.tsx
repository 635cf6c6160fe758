import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import { STATE_COLORS, VM_STATES, type AsyncJob, type CsEvent } from '../../api/types';
import { BarChart } from '../../components/charts';
import { Table } from '../../components/Table';
import { ErrorBanner, Loading, when } from '../../components/ui';
import { href } from '../../router';

/** One count per state: a page of one VM is enough to read the list's count. */
async function countsByState(): Promise<{ state: string; count: number }[]> {
  return Promise.all(
    VM_STATES.map(async (state) => ({
      state,
      count: (await cs.list('listVirtualMachines', 'virtualmachine', { state, listall: true, page: 1, pagesize: 1 }))
        .count,
    })),
  );
}

export function VmStates() {
  const { data, error, reload } = useLoad(countsByState, []);
  useFeedRefresh(reload);
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <Loading what="Counting instances" />;
  const total = data.reduce((a, b) => a + b.count, 0);
  return (
    <div>
      <p>
        <a href={href('/instances')}>
          {total.toLocaleString()} {total === 1 ? 'instance' : 'instances'} in all
        </a>
      </p>
      <BarChart
        title="Instances by state"
        data={data
          .filter((d) => d.count > 0 || ['Running', 'Stopped'].includes(d.state))
          .map((d) => ({ label: d.state, value: d.count, color: STATE_COLORS[d.state] ?? '#64748b' }))}
      />
    </div>
  );
}

export function RecentEvents() {
  const { data, error, reload } = useLoad(
    () => cs.list<CsEvent>('listEvents', 'event', { listall: true, page: 1, pagesize: 10 }),
    [],
  );
  useFeedRefresh(reload, (i) => i.kind === 'event');
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <Loading what="Loading events" />;
  return (
    <Table
      caption="Recent events"
      rows={data.items}
      rowKey={(e) => e.id}
      empty="No events yet."
      columns={[
        { key: 'created', label: 'When', render: (e) => when(e.created), sortValue: (e) => e.created },
        { key: 'type', label: 'Event', render: (e) => e.type, sortValue: (e) => e.type },
        { key: 'description', label: 'Description', render: (e) => e.description },
        { key: 'account', label: 'Account', render: (e) => e.account },
      ]}
    />
  );
}

export function RunningJobs() {
  const { data, error, reload } = useLoad(
    async () =>
      (await cs.list<AsyncJob>('listAsyncJobs', 'asyncjobs', { listall: true, page: 1, pagesize: 200 })).items.filter(
        (j) => j.jobstatus === 0,
      ),
    [],
  );
  useFeedRefresh(reload);
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <Loading what="Loading jobs" />;
  return (
    <Table
      caption="Running jobs"
      rows={data}
      rowKey={(j) => j.jobid}
      empty="No job is running."
      columns={[
        { key: 'cmd', label: 'Command', render: (j) => j.cmd.split('.').at(-1) },
        {
          key: 'on',
          label: 'On',
          render: (j) =>
            j.jobinstancetype === 'VirtualMachine' && j.jobinstanceid ? (
              <a href={href(`/instances/${j.jobinstanceid}`)}>{j.jobinstanceid.slice(0, 8)}</a>
            ) : (
              j.jobinstancetype
            ),
        },
        { key: 'created', label: 'Started', render: (j) => when(j.created) },
      ]}
    />
  );
}
