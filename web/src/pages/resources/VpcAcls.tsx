import { useState } from 'react';
import { act } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useLoad, type Loaded } from '../../api/hooks';
import type { AclList, AclRule, Vpc } from '../../api/resources';
import { FormDialog } from '../../components/Dialog';
import { SelectField, TextField, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { ErrorBanner, StateBadge } from '../../components/ui';

const PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'].map((p) => ({ value: p, label: p.toUpperCase() }));

/** The rules of one ACL list, ordered by number; the two default lists are CloudStack's and read-only. */
function AclRules({ list }: { list: AclList }) {
  const rules = useLoad(
    () =>
      cs
        .list<AclRule>('listNetworkACLs', 'networkacl', { aclid: list.id, listall: true })
        .then((r) => r.items.sort((a, b) => a.number - b.number)),
    [list.id],
  );
  const [adding, setAdding] = useState(false);
  const [f, setF] = useState({
    number: '',
    protocol: 'tcp',
    startport: '22',
    endport: '22',
    cidrlist: '0.0.0.0/0',
    action: 'Allow',
    traffictype: 'Ingress',
  });
  const confirm = useConfirm();
  const own = !!list.vpcid;
  const ports = f.protocol === 'tcp' || f.protocol === 'udp';
  return (
    <div className="card">
      <h3>
        {list.name} <span className="muted small">{list.description}</span>
      </h3>
      <ErrorBanner error={rules.error} />
      <Table
        caption={`Rules of ACL list ${list.name}`}
        rows={rules.data ?? []}
        rowKey={(r) => r.id}
        busy={rules.loading}
        empty="No rules: the list's default applies."
        columns={[
          { key: 'number', label: '#', render: (r) => r.number, numeric: true },
          { key: 'traffic', label: 'Traffic', render: (r) => r.traffictype },
          { key: 'action', label: 'Action', render: (r) => r.action },
          { key: 'protocol', label: 'Protocol', render: (r) => r.protocol },
          {
            key: 'ports',
            label: 'Ports',
            render: (r) =>
              r.startport ? (r.startport === r.endport ? r.startport : `${r.startport}–${r.endport}`) : '',
          },
          { key: 'cidr', label: 'CIDRs', render: (r) => r.cidrlist },
          { key: 'state', label: 'State', render: (r) => <StateBadge state={r.state} /> },
          ...(own
            ? [
                {
                  key: 'actions',
                  label: 'Actions',
                  render: (r: AclRule) => (
                    <button
                      type="button"
                      className="link"
                      aria-label={`Delete rule ${r.number} of ${list.name}`}
                      onClick={() =>
                        confirm.ask({
                          title: 'Delete ACL rule',
                          message: `Delete rule ${r.number} of ${list.name}?`,
                          label: 'Delete',
                          run: async () => (await act('deleteNetworkACL', { id: r.id }), rules.reload()),
                        })
                      }
                    >
                      Delete
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {own && (
        <button type="button" onClick={() => setAdding(true)} aria-label={`Add rule to ${list.name}`}>
          Add rule
        </button>
      )}
      <FormDialog
        title={`Add a rule to ${list.name}`}
        open={adding}
        onClose={() => setAdding(false)}
        submitLabel="Add rule"
        onSubmit={async () => {
          await act('createNetworkACL', {
            aclid: list.id,
            number: f.number || undefined,
            protocol: f.protocol,
            startport: ports ? f.startport : undefined,
            endport: ports ? f.endport : undefined,
            cidrlist: f.cidrlist,
            action: f.action,
            traffictype: f.traffictype,
          });
          rules.reload();
        }}
      >
        <div className="row">
          <TextField
            label="Rule number"
            type="number"
            min={1}
            value={f.number}
            onChange={(number) => setF({ ...f, number })}
            hint="Optional; after the last one."
          />
          <SelectField
            label="Traffic"
            value={f.traffictype}
            onChange={(traffictype) => setF({ ...f, traffictype })}
            options={[
              { value: 'Ingress', label: 'Ingress' },
              { value: 'Egress', label: 'Egress' },
            ]}
          />
          <SelectField
            label="Action"
            value={f.action}
            onChange={(action) => setF({ ...f, action })}
            options={[
              { value: 'Allow', label: 'Allow' },
              { value: 'Deny', label: 'Deny' },
            ]}
          />
        </div>
        <div className="row">
          <SelectField
            label="Protocol"
            value={f.protocol}
            onChange={(protocol) => setF({ ...f, protocol })}
            options={PROTOCOLS}
          />
          {ports && (
            <TextField
              label="Start port"
              type="number"
              min={1}
              value={f.startport}
              onChange={(startport) => setF({ ...f, startport })}
              required
            />
          )}
          {ports && (
            <TextField
              label="End port"
              type="number"
              min={1}
              value={f.endport}
              onChange={(endport) => setF({ ...f, endport })}
              required
            />
          )}
        </div>
        <TextField
          label="CIDR list"
          value={f.cidrlist}
          onChange={(cidrlist) => setF({ ...f, cidrlist })}
          hint="Comma-separated."
        />
      </FormDialog>
      {confirm.dialog}
    </div>
  );
}

/** A VPC's ACL lists (its own and CloudStack's default_allow/default_deny): create, delete, and their rules. */
export function AclLists({ vpc, lists }: { vpc: Vpc; lists: Loaded<AclList[]> }) {
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({ name: '', description: '' });
  const confirm = useConfirm();
  return (
    <section aria-labelledby="acl-title">
      <h2 id="acl-title">ACL lists</h2>
      <ErrorBanner error={lists.error} />
      <div className="page-header">
        <button type="button" onClick={() => setCreating(true)}>
          Create ACL list
        </button>
        {lists.data
          ?.filter((l) => l.vpcid)
          .map((l) => (
            <button
              key={l.id}
              type="button"
              className="danger"
              onClick={() =>
                confirm.ask({
                  title: 'Delete ACL list',
                  message: `Delete ACL list ${l.name}? No tier may use it.`,
                  label: 'Delete',
                  run: async () => (await act('deleteNetworkACLList', { id: l.id }), lists.reload()),
                })
              }
            >
              Delete list {l.name}
            </button>
          ))}
      </div>
      <div className="grid two">
        {lists.data?.map((l) => (
          <AclRules key={l.id} list={l} />
        ))}
      </div>
      <FormDialog
        title={`Create an ACL list in ${vpc.name}`}
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Create"
        onSubmit={async () => (
          await act('createNetworkACLList', { vpcid: vpc.id, name: f.name, description: f.description || f.name }),
          lists.reload()
        )}
      >
        <TextField label="Name" value={f.name} onChange={(name) => setF({ ...f, name })} required />
        <TextField label="Description" value={f.description} onChange={(description) => setF({ ...f, description })} />
      </FormDialog>
      {confirm.dialog}
    </section>
  );
}
