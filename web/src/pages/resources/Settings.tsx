import { useState } from 'react';
import { act } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useLoad } from '../../api/hooks';
import type { Setting } from '../../api/resources';
import { FormDialog } from '../../components/Dialog';
import { Filters, SelectField, TextField, optionsOf, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { ErrorBanner, Loading, PageHeader } from '../../components/ui';
import { useNotify } from '../../notify';
import type { Route } from '../../router';
import { useListing } from './listing';
import { listZones } from './common';

const CATEGORIES = [
  'Advanced',
  'Alert',
  'Network',
  'Storage',
  'Account Defaults',
  'Domain Defaults',
  'Project Defaults',
];

/**
 * Global settings, or one zone's (listConfigurations with zoneid answers the zone-scoped ones with
 * the zone's value): search, filter by category, change a value, reset it to its default.
 */
export function Settings({ route }: { route: Route }) {
  const { q, filter, paging, pager } = useListing(route);
  const zones = useLoad(listZones, []);
  const settings = useLoad(
    () =>
      cs.list<Setting>('listConfigurations', 'configuration', {
        keyword: q.keyword,
        category: q.category,
        zoneid: q.zoneid,
        ...paging,
      }),
    [q.keyword, q.category, q.zoneid, paging.page, paging.pagesize],
  );
  const [editing, setEditing] = useState<Setting>();
  const [value, setValue] = useState('');
  const confirm = useConfirm();
  const notify = useNotify();
  const zone = zones.data?.find((z) => z.id === q.zoneid);
  const where = zone ? `zone ${zone.name}` : 'everywhere';
  return (
    <>
      <PageHeader title={zone ? `Settings of zone ${zone.name}` : 'Global settings'} />
      <Filters label="settings" keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="Scope"
          value={q.zoneid ?? ''}
          onChange={(zoneid) => filter({ zoneid })}
          placeholder="Global"
          options={optionsOf(zones.data, (z) => `Zone ${z.name}`)}
        />
        <SelectField
          label="Category"
          value={q.category ?? ''}
          onChange={(category) => filter({ category })}
          placeholder="Any category"
          options={CATEGORIES.map((c) => ({ value: c, label: c }))}
        />
      </Filters>
      <ErrorBanner error={settings.error} />
      {settings.data ? (
        <>
          <Table
            caption={zone ? `Settings of zone ${zone.name}` : 'Global settings'}
            rows={settings.data.items}
            rowKey={(s) => s.name}
            busy={settings.loading}
            empty="No settings match."
            columns={[
              { key: 'name', label: 'Name', render: (s) => <code>{s.name}</code>, sortValue: (s) => s.name },
              {
                key: 'value',
                label: 'Value',
                render: (s) => <span className={s.value !== s.defaultvalue ? 'changed' : undefined}>{s.value}</span>,
              },
              { key: 'default', label: 'Default', render: (s) => s.defaultvalue },
              {
                key: 'description',
                label: 'Description',
                render: (s) => <span className="small">{s.description}</span>,
              },
              { key: 'category', label: 'Category', render: (s) => s.category, sortValue: (s) => s.category ?? '' },
              { key: 'scope', label: 'Scope', render: (s) => s.scope },
              {
                key: 'actions',
                label: 'Actions',
                render: (s) => (
                  <>
                    <button
                      type="button"
                      className="link"
                      aria-label={`Edit ${s.name}`}
                      onClick={() => (setValue(s.value ?? ''), setEditing(s))}
                    >
                      Edit
                    </button>{' '}
                    <button
                      type="button"
                      className="link"
                      aria-label={`Reset ${s.name}`}
                      onClick={() =>
                        confirm.ask({
                          title: 'Reset setting',
                          message: `Reset ${s.name} to ${s.defaultvalue ?? 'its default'} ${where}?`,
                          label: 'Reset',
                          run: async () => (
                            await act('resetConfiguration', { name: s.name, zoneid: q.zoneid }),
                            notify(`${s.name} reset`, 'ok'),
                            settings.reload()
                          ),
                        })
                      }
                    >
                      Reset
                    </button>
                  </>
                ),
              },
            ]}
          />
          {pager(settings.data.count)}
        </>
      ) : (
        <Loading />
      )}
      {editing && (
        <FormDialog
          title={`Edit ${editing.name}`}
          open
          onClose={() => setEditing(undefined)}
          submitLabel="Save"
          onSubmit={async () => {
            await act('updateConfiguration', { name: editing.name, value, zoneid: q.zoneid });
            notify(
              `${editing.name} set to ${value} ${where}${editing.isdynamic === false ? '; it takes effect after a restart' : ''}`,
              'ok',
            );
            settings.reload();
          }}
        >
          <p className="small">{editing.description}</p>
          {editing.type === 'Boolean' ? (
            <SelectField
              label="Value"
              value={value}
              onChange={setValue}
              options={['true', 'false'].map((v) => ({ value: v, label: v }))}
            />
          ) : (
            <TextField
              label="Value"
              value={value}
              onChange={setValue}
              hint={`Default ${editing.defaultvalue ?? '(none)'}; applies ${where}.`}
            />
          )}
        </FormDialog>
      )}
      {confirm.dialog}
    </>
  );
}
