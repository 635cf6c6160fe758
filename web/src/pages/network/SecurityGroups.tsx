import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import { runJob } from '../../api/jobs';
import type { Rule, SecurityGroup } from '../../api/types';
import { Confirm, FormDialog } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { ErrorBanner, Field, Loading, PageHeader } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate } from '../../router';
import { RuleFields, portsOf, ruleParams, type RuleForm } from './RuleFields';

export function SecurityGroups() {
  const groups = useLoad(
    () => cs.list<SecurityGroup>('listSecurityGroups', 'securitygroup', { listall: true }).then((r) => r.items),
    [],
  );
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  useFeedRefresh(groups.reload, (i) => i.kind === 'event' && i.type.startsWith('SG.'));
  return (
    <>
      <PageHeader title="Security groups">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create security group
        </button>
      </PageHeader>
      <ErrorBanner error={groups.error} />
      {groups.data ? (
        <Table
          caption="Security groups"
          rows={groups.data}
          rowKey={(g) => g.id}
          columns={[
            {
              key: 'name',
              label: 'Name',
              render: (g) => <a href={href(`/security-groups/${g.id}`)}>{g.name}</a>,
              sortValue: (g) => g.name,
            },
            { key: 'description', label: 'Description', render: (g) => g.description },
            { key: 'account', label: 'Account', render: (g) => g.account, sortValue: (g) => g.account },
            {
              key: 'ingress',
              label: 'Ingress rules',
              render: (g) => g.ingressrule?.length ?? 0,
              sortValue: (g) => g.ingressrule?.length ?? 0,
              numeric: true,
            },
            { key: 'egress', label: 'Egress rules', render: (g) => g.egressrule?.length ?? 0, numeric: true },
          ]}
        />
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Create a security group"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Create"
        onSubmit={async () => {
          const r = await cs.call<{ securitygroup: SecurityGroup }>('createSecurityGroup', { name, description });
          navigate(`/security-groups/${r.securitygroup.id}`);
        }}
      >
        <Field label="Name">
          {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}
        </Field>
        <Field label="Description">
          {(id) => <input id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
      </FormDialog>
    </>
  );
}

const EMPTY_RULE: RuleForm = {
  protocol: 'tcp',
  startport: '22',
  endport: '22',
  cidr: '0.0.0.0/0',
  icmptype: '-1',
  icmpcode: '-1',
};

function RuleTable({
  group,
  direction,
  onChange,
}: {
  group: SecurityGroup;
  direction: 'Ingress' | 'Egress';
  onChange: () => void;
}) {
  const rules = (direction === 'Ingress' ? group.ingressrule : group.egressrule) ?? [];
  const [adding, setAdding] = useState(false);
  const [form, setForm] = useState<RuleForm>(EMPTY_RULE);
  const [revoking, setRevoking] = useState<Rule>();
  const notify = useNotify();
  return (
    <section aria-labelledby={`rules-${direction}`}>
      <h2 id={`rules-${direction}`}>{direction} rules</h2>
      <Table
        caption={`${direction} rules of ${group.name}`}
        rows={rules}
        rowKey={(r) => r.ruleid}
        empty={`No ${direction.toLowerCase()} rule.`}
        columns={[
          { key: 'protocol', label: 'Protocol', render: (r) => r.protocol, sortValue: (r) => r.protocol },
          { key: 'ports', label: 'Ports / ICMP', render: portsOf },
          {
            key: 'source',
            label: direction === 'Ingress' ? 'Source' : 'Destination',
            render: (r) => r.cidr ?? `${r.account}/${r.securitygroupname}`,
          },
          {
            key: 'actions',
            label: 'Actions',
            render: (r) => (
              <button
                type="button"
                className="link"
                aria-label={`Revoke ${r.protocol} rule ${portsOf(r)} ${r.cidr ?? ''}`}
                onClick={() => setRevoking(r)}
              >
                Revoke
              </button>
            ),
          },
        ]}
      />
      <button type="button" onClick={() => setAdding(true)}>
        Add {direction.toLowerCase()} rule
      </button>
      <FormDialog
        title={`Add an ${direction.toLowerCase()} rule`}
        open={adding}
        onClose={() => setAdding(false)}
        submitLabel="Add rule"
        onSubmit={async () => {
          await runJob(`authorizeSecurityGroup${direction}`, {
            securitygroupid: group.id,
            ...ruleParams(form),
            cidrlist: form.cidr,
          });
          notify(`${direction} rule added to ${group.name}`, 'ok');
          onChange();
        }}
      >
        <RuleFields
          form={form}
          onChange={(p) => setForm((f) => ({ ...f, ...p }))}
          cidrLabel={direction === 'Ingress' ? 'Source CIDR' : 'Destination CIDR'}
        />
      </FormDialog>
      {revoking && (
        <Confirm
          open
          title="Revoke rule"
          message={`Revoke the ${revoking.protocol} rule ${portsOf(revoking)} from ${revoking.cidr ?? revoking.securitygroupname}?`}
          confirmLabel="Revoke"
          onClose={() => setRevoking(undefined)}
          onConfirm={async () => {
            await runJob(`revokeSecurityGroup${direction}`, { id: revoking.ruleid });
            onChange();
          }}
        />
      )}
    </section>
  );
}

export function SecurityGroupDetail({ id }: { id: string }) {
  const g = useLoad(
    () => cs.list<SecurityGroup>('listSecurityGroups', 'securitygroup', { id, listall: true }).then((r) => r.items[0]),
    [id],
  );
  const [deleting, setDeleting] = useState(false);
  if (g.error && !g.data) return <ErrorBanner error={g.error} />;
  if (!g.data) return g.loading ? <Loading /> : <p role="alert">No such security group.</p>;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={href('/security-groups')}>Security groups</a> /
      </nav>
      <PageHeader title={`Security group ${g.data.name}`}>
        {g.data.name !== 'default' && (
          <button type="button" className="danger" onClick={() => setDeleting(true)}>
            Delete
          </button>
        )}
      </PageHeader>
      {g.data.description && <p>{g.data.description}</p>}
      <RuleTable group={g.data} direction="Ingress" onChange={g.reload} />
      <RuleTable group={g.data} direction="Egress" onChange={g.reload} />
      <Confirm
        open={deleting}
        title="Delete security group"
        message={`Delete ${g.data.name}? Instances must have left it first.`}
        confirmLabel="Delete"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await cs.call('deleteSecurityGroup', { id });
          navigate('/security-groups');
        }}
      />
    </>
  );
}
