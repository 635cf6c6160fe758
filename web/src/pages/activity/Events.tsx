import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { CsEvent } from '../../api/types';
import { Pager, Table } from '../../components/Table';
import { ErrorBanner, Field, PageHeader, when } from '../../components/ui';
import { useQueryState, type Route } from '../../router';

const LEVELS = ['INFO', 'WARN', 'ERROR'];

/** listEvents with its filters (keyword, level, type, dates), kept in the URL, paged by the server. */
export function Events({ route }: { route: Route }) {
  const [q, setQ] = useQueryState(route);
  const page = Number(q['page'] ?? 1);
  const pageSize = Number(q['pagesize'] ?? 50);
  const [keyword, setKeyword] = useState(q['keyword'] ?? '');
  const events = useLoad(
    () =>
      cs.list<CsEvent>('listEvents', 'event', {
        listall: true,
        page,
        pagesize: pageSize,
        keyword: q['keyword'],
        level: q['level'],
        type: q['type'],
        startdate: q['startdate'],
        enddate: q['enddate'],
      }),
    [page, pageSize, q['keyword'], q['level'], q['type'], q['startdate'], q['enddate']],
  );
  useFeedRefresh(events.reload, (i) => i.kind === 'event');
  const types = useLoad(
    async () =>
      cs.supports('listEventTypes')
        ? (await cs.list<{ name: string }>('listEventTypes', 'eventtype')).items.map((t) => t.name)
        : [],
    [],
  );
  const filter = (patch: Record<string, string | undefined>) => setQ({ ...patch, page: undefined });
  return (
    <>
      <PageHeader title="Events" />
      <form
        className="filters"
        role="search"
        aria-label="Filter events"
        onSubmit={(e) => (e.preventDefault(), filter({ keyword: keyword || undefined }))}
      >
        <Field label="Search">
          {(id) => (
            <input
              id={id}
              type="search"
              value={keyword}
              placeholder="Description, type"
              onChange={(e) => setKeyword(e.target.value)}
              onBlur={() => filter({ keyword: keyword || undefined })}
            />
          )}
        </Field>
        <Field label="Level">
          {(id) => (
            <select id={id} value={q['level'] ?? ''} onChange={(e) => filter({ level: e.target.value || undefined })}>
              <option value="">Any level</option>
              {LEVELS.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Type">
          {(id) => (
            <>
              <input
                id={id}
                list={`${id}-types`}
                value={q['type'] ?? ''}
                placeholder="VM.CREATE"
                onChange={(e) => filter({ type: e.target.value || undefined })}
              />
              <datalist id={`${id}-types`}>
                {types.data?.map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="From">
          {(id) => (
            <input
              id={id}
              type="date"
              value={q['startdate'] ?? ''}
              onChange={(e) => filter({ startdate: e.target.value || undefined })}
            />
          )}
        </Field>
        <Field label="To">
          {(id) => (
            <input
              id={id}
              type="date"
              value={q['enddate'] ?? ''}
              onChange={(e) => filter({ enddate: e.target.value || undefined })}
            />
          )}
        </Field>
      </form>
      <ErrorBanner error={events.error} />
      <Table
        caption="Events"
        rows={events.data?.items ?? []}
        rowKey={(e) => e.id}
        busy={events.loading}
        empty={events.loading ? 'Loading…' : 'No event matches.'}
        columns={[
          { key: 'created', label: 'When', render: (e) => when(e.created), sortValue: (e) => e.created },
          {
            key: 'level',
            label: 'Level',
            render: (e) => (
              <span className={`badge ${e.level === 'ERROR' ? 'bad' : e.level === 'WARN' ? 'warn' : 'idle'}`}>
                {e.level}
              </span>
            ),
            sortValue: (e) => e.level,
          },
          { key: 'type', label: 'Type', render: (e) => e.type, sortValue: (e) => e.type },
          { key: 'description', label: 'Description', render: (e) => e.description },
          { key: 'account', label: 'Account', render: (e) => e.account, sortValue: (e) => e.account ?? '' },
          {
            key: 'resource',
            label: 'Resource',
            render: (e) => (e.resourcetype ? `${e.resourcetype} ${e.resourceid?.slice(0, 8) ?? ''}` : ''),
          },
        ]}
      />
      {events.data && (
        <Pager
          page={page}
          pageSize={pageSize}
          count={events.data.count}
          onPage={(p) => setQ({ page: p }, false)}
          onPageSize={(n) => setQ({ pagesize: n, page: undefined })}
        />
      )}
    </>
  );
}
