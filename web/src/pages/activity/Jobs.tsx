import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { AsyncJob } from '../../api/types';
import { Table } from '../../components/Table';
import { ErrorBanner, PageHeader, when } from '../../components/ui';
import { href } from '../../router';

const STATUS: Record<number, [string, string]> = {
  0: ['pending', 'busy'],
  1: ['succeeded', 'ok'],
  2: ['failed', 'bad'],
};
const target = (j: AsyncJob) =>
  j.jobinstancetype === 'VirtualMachine' && j.jobinstanceid ? href(`/instances/${j.jobinstanceid}`) : undefined;

/** listAsyncJobs: what ran and what runs, followed live from the event stream. */
export function Jobs() {
  const jobs = useLoad(
    () =>
      cs.list<AsyncJob & { jobresult?: { errortext?: string } }>('listAsyncJobs', 'asyncjobs', {
        listall: true,
        pagesize: 200,
        page: 1,
      }),
    [],
  );
  useFeedRefresh(jobs.reload, (i) => i.kind === 'job');
  const rows = [...(jobs.data?.items ?? [])].sort((a, b) => b.created.localeCompare(a.created));
  return (
    <>
      <PageHeader title="Async jobs">
        <button type="button" onClick={jobs.reload}>
          Refresh
        </button>
      </PageHeader>
      <ErrorBanner error={jobs.error} />
      <Table
        caption="Async jobs"
        rows={rows}
        rowKey={(j) => j.jobid}
        busy={jobs.loading}
        empty={jobs.loading ? 'Loading…' : 'No job yet.'}
        columns={[
          { key: 'created', label: 'Created', render: (j) => when(j.created), sortValue: (j) => j.created },
          {
            key: 'cmd',
            label: 'Command',
            render: (j) => j.cmd.replace(/^.*\./, '').replace(/Cmd(ByAdmin)?$/, ''),
            sortValue: (j) => j.cmd,
          },
          {
            key: 'status',
            label: 'Status',
            render: (j) => (
              <span className={`badge ${STATUS[j.jobstatus]?.[1] ?? 'idle'}`}>
                {STATUS[j.jobstatus]?.[0] ?? j.jobstatus}
              </span>
            ),
            sortValue: (j) => j.jobstatus,
          },
          {
            key: 'on',
            label: 'On',
            render: (j) =>
              target(j) ? (
                <a href={target(j)}>
                  {j.jobinstancetype} {j.jobinstanceid?.slice(0, 8)}
                </a>
              ) : j.jobinstancetype ? (
                `${j.jobinstancetype} ${j.jobinstanceid?.slice(0, 8) ?? ''}`
              ) : (
                ''
              ),
          },
          { key: 'error', label: 'Error', render: (j) => (j.jobstatus === 2 ? j.jobresult?.errortext : '') },
          { key: 'id', label: 'Job id', render: (j) => <code>{j.jobid}</code> },
        ]}
      />
    </>
  );
}
