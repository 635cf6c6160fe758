import { useEffect, useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import { VM_STATES, type Account, type Vm, type Zone } from '../../api/types';
import { Pager, Table, type Column } from '../../components/Table';
import { ErrorBanner, Field, PageHeader, StateBadge } from '../../components/ui';
import { href, useQueryState, type Route } from '../../router';

const COLUMNS: Column<Vm>[] = [
  {
    key: 'name',
    label: 'Name',
    render: (v) => <a href={href(`/instances/${v.id}`)}>{v.displayname || v.name}</a>,
    sortValue: (v) => v.displayname || v.name,
  },
  { key: 'state', label: 'State', render: (v) => <StateBadge state={v.state} />, sortValue: (v) => v.state },
  {
    key: 'ip',
    label: 'IP address',
    render: (v) => v.nic?.find((n) => n.isdefault)?.ipaddress ?? v.nic?.[0]?.ipaddress,
    sortValue: (v) => v.nic?.[0]?.ipaddress ?? '',
  },
  { key: 'zone', label: 'Zone', render: (v) => v.zonename, sortValue: (v) => v.zonename },
  { key: 'account', label: 'Account', render: (v) => v.account, sortValue: (v) => v.account },
  {
    key: 'offering',
    label: 'Offering',
    render: (v) => v.serviceofferingname,
    sortValue: (v) => v.serviceofferingname ?? '',
  },
  {
    key: 'created',
    label: 'Created',
    render: (v) => (v.created ? new Date(v.created).toLocaleString() : ''),
    sortValue: (v) => v.created ?? '',
  },
];

/** Debounces a value, so the list asks the server once the user stops typing. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * Instances, paged by the server (page/pagesize of listVirtualMachines), so 10,000 VMs cost one
 * page of rows; search and filters are the command's keyword/state/zoneid/account parameters.
 * listVirtualMachines has no sort parameter: sorting orders the page shown, as CloudStack's UI does.
 */
export function InstanceList({ route }: { route: Route }) {
  const [q, setQ] = useQueryState(route);
  const page = Number(q['page'] ?? 1);
  const pageSize = Number(q['pagesize'] ?? 20);
  const [search, setSearch] = useState(q['keyword'] ?? '');
  const keyword = useDebounced(search, 300);
  useEffect(() => {
    if ((q['keyword'] ?? '') !== keyword) setQ({ keyword: keyword || undefined, page: undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keyword]);
  const [accountName, domainId] = (q['account'] ?? '').split('@');
  const vms = useLoad(
    () =>
      cs.list<Vm>('listVirtualMachines', 'virtualmachine', {
        listall: true,
        page,
        pagesize: pageSize,
        keyword: q['keyword'],
        state: q['state'],
        zoneid: q['zoneid'],
        account: accountName,
        domainid: domainId,
      }),
    [page, pageSize, q['keyword'], q['state'], q['zoneid'], q['account']],
  );
  useFeedRefresh(vms.reload, (i) =>
    i.kind === 'job' ? i.instanceType === 'VirtualMachine' : i.type.startsWith('VM.'),
  );
  // The filters' choices are asked for once the first page is in: the server answers one request
  // at a time, and the rows are what the user is waiting for.
  const listed = !!vms.data;
  const zones = useLoad(async () => (listed ? (await cs.list<Zone>('listZones', 'zone')).items : undefined), [listed]);
  const accounts = useLoad(
    async () =>
      listed && cs.isAdmin ? (await cs.list<Account>('listAccounts', 'account', { listall: true })).items : undefined,
    [listed],
  );
  const sort = q['sort']
    ? { key: q['sort'], dir: (q['dir'] === 'desc' ? 'desc' : 'asc') as 'asc' | 'desc' }
    : undefined;
  return (
    <>
      <PageHeader title="Instances">
        <a className="button primary" href={href('/instances/new')}>
          Deploy an instance
        </a>
      </PageHeader>
      <form className="filters" role="search" aria-label="Filter instances" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search">
          {(id) => (
            <input
              id={id}
              type="search"
              value={search}
              placeholder="Name, IP, keyword"
              onChange={(e) => setSearch(e.target.value)}
            />
          )}
        </Field>
        <Field label="State">
          {(id) => (
            <select
              id={id}
              value={q['state'] ?? ''}
              onChange={(e) => setQ({ state: e.target.value || undefined, page: undefined })}
            >
              <option value="">Any state</option>
              {VM_STATES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Zone">
          {(id) => (
            <select
              id={id}
              value={q['zoneid'] ?? ''}
              onChange={(e) => setQ({ zoneid: e.target.value || undefined, page: undefined })}
            >
              <option value="">Any zone</option>
              {zones.data?.map((z) => (
                <option key={z.id} value={z.id}>
                  {z.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {cs.isAdmin && (
          <Field label="Account">
            {(id) => (
              <select
                id={id}
                value={q['account'] ?? ''}
                onChange={(e) => setQ({ account: e.target.value || undefined, page: undefined })}
              >
                <option value="">Any account</option>
                {accounts.data?.map((a) => (
                  <option key={a.id} value={`${a.name}@${a.domainid}`}>
                    {a.name} ({a.domain})
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </form>
      <ErrorBanner error={vms.error} />
      <Table
        caption="Instances"
        columns={COLUMNS}
        rows={vms.data?.items ?? []}
        rowKey={(v) => v.id}
        busy={vms.loading}
        sort={sort}
        onSort={(s) => setQ({ sort: s.key, dir: s.dir })}
        empty={vms.loading ? 'Loading…' : 'No instance matches.'}
      />
      {vms.data && (
        <Pager
          page={page}
          pageSize={pageSize}
          count={vms.data.count}
          onPage={(p) => setQ({ page: p }, false)}
          onPageSize={(n) => setQ({ pagesize: n, page: undefined })}
        />
      )}
    </>
  );
}
