import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useLoad } from '../../api/hooks';
import { Confirm } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { ErrorBanner, Field, PageHeader, when } from '../../components/ui';

interface Alert {
  id: string;
  type: number;
  name?: string;
  description: string;
  sent: string;
}

/** listAlerts (root and resource admins): what the management server raised, and archiving them. */
export function Alerts() {
  const [keyword, setKeyword] = useState('');
  const alerts = useLoad(
    () => cs.list<Alert>('listAlerts', 'alert', { keyword: keyword || undefined, pagesize: 500, page: 1 }),
    [keyword],
  );
  const [archiving, setArchiving] = useState(false);
  const rows = alerts.data?.items ?? [];
  return (
    <>
      <PageHeader title="Alerts">
        {cs.supports('archiveAlerts') && (
          <button type="button" disabled={!rows.length} onClick={() => setArchiving(true)}>
            Archive shown
          </button>
        )}
      </PageHeader>
      <form className="filters" role="search" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search">
          {(id) => <input id={id} type="search" value={keyword} onChange={(e) => setKeyword(e.target.value)} />}
        </Field>
      </form>
      <ErrorBanner error={alerts.error} />
      <Table
        caption="Alerts"
        rows={rows}
        rowKey={(a) => a.id}
        busy={alerts.loading}
        empty={alerts.loading ? 'Loading…' : 'No alert.'}
        columns={[
          { key: 'sent', label: 'When', render: (a) => when(a.sent), sortValue: (a) => a.sent },
          { key: 'type', label: 'Type', render: (a) => a.type, sortValue: (a) => a.type, numeric: true },
          { key: 'name', label: 'Name', render: (a) => a.name, sortValue: (a) => a.name ?? '' },
          { key: 'description', label: 'Description', render: (a) => a.description },
        ]}
      />
      <Confirm
        open={archiving}
        title="Archive alerts"
        message={`Archive the ${rows.length} alerts shown? They no longer appear in listAlerts.`}
        confirmLabel="Archive"
        danger={false}
        onClose={() => setArchiving(false)}
        onConfirm={async () => {
          await cs.call('archiveAlerts', { ids: rows.map((a) => a.id).join(',') });
          alerts.reload();
        }}
      />
    </>
  );
}
