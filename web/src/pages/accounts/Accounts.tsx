import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useLoad } from '../../api/hooks';
import type { Account, Domain, User } from '../../api/types';
import { FormDialog } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { Tabs } from '../../components/Tabs';
import { ErrorBanner, Field, Loading, PageHeader, StateBadge } from '../../components/ui';
import { useNotify } from '../../notify';
import { UserKeys } from './UserKeys';

const ACCOUNT_TYPES: Record<number, string> = { 0: 'User', 1: 'Root admin', 2: 'Domain admin' };

function Domains() {
  const domains = useLoad(() => cs.list<Domain>('listDomains', 'domain', { listall: true }).then((r) => r.items), []);
  if (domains.error) return <ErrorBanner error={domains.error} />;
  if (!domains.data) return <Loading />;
  return (
    <Table
      caption="Domains"
      rows={domains.data}
      rowKey={(d) => d.id}
      columns={[
        { key: 'path', label: 'Path', render: (d) => d.path, sortValue: (d) => d.path },
        { key: 'name', label: 'Name', render: (d) => d.name, sortValue: (d) => d.name },
        { key: 'parent', label: 'Parent', render: (d) => d.parentdomainname },
        { key: 'level', label: 'Level', render: (d) => d.level, numeric: true },
      ]}
    />
  );
}

function Accounts() {
  const accounts = useLoad(
    () => cs.list<Account>('listAccounts', 'account', { listall: true }).then((r) => r.items),
    [],
  );
  const domains = useLoad(() => cs.list<Domain>('listDomains', 'domain', { listall: true }).then((r) => r.items), []);
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({
    username: '',
    password: '',
    email: '',
    firstname: '',
    lastname: '',
    accounttype: '0',
    domainid: '',
  });
  const notify = useNotify();
  const input =
    (k: keyof typeof f, type = 'text', required = true) =>
    (id: string) => (
      <input
        id={id}
        type={type}
        value={f[k]}
        onChange={(e) => setF({ ...f, [k]: e.target.value })}
        required={required}
      />
    );
  if (accounts.error) return <ErrorBanner error={accounts.error} />;
  if (!accounts.data) return <Loading />;
  return (
    <>
      <Table
        caption="Accounts"
        rows={accounts.data}
        rowKey={(a) => a.id}
        columns={[
          { key: 'name', label: 'Name', render: (a) => a.name, sortValue: (a) => a.name },
          {
            key: 'type',
            label: 'Type',
            render: (a) => ACCOUNT_TYPES[a.accounttype] ?? a.roletype,
            sortValue: (a) => a.accounttype,
          },
          { key: 'domain', label: 'Domain', render: (a) => a.domain, sortValue: (a) => a.domain },
          { key: 'state', label: 'State', render: (a) => <StateBadge state={a.state} /> },
          { key: 'vms', label: 'Instances', render: (a) => a.vmtotal, sortValue: (a) => a.vmtotal ?? 0, numeric: true },
        ]}
      />
      <button type="button" className="primary" onClick={() => setCreating(true)}>
        Create account
      </button>
      <FormDialog
        title="Create an account"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Create"
        onSubmit={async () => {
          await cs.call('createAccount', { ...f, domainid: f.domainid || undefined });
          notify(`Account ${f.username} created`, 'ok');
          accounts.reload();
        }}
      >
        <Field label="Username">{input('username')}</Field>
        <Field label="Password">{input('password', 'password')}</Field>
        <Field label="Email">{input('email', 'email')}</Field>
        <div className="row">
          <Field label="First name">{input('firstname')}</Field>
          <Field label="Last name">{input('lastname')}</Field>
        </div>
        <Field label="Type">
          {(id) => (
            <select id={id} value={f.accounttype} onChange={(e) => setF({ ...f, accounttype: e.target.value })}>
              {Object.entries(ACCOUNT_TYPES).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Domain">
          {(id) => (
            <select id={id} value={f.domainid} onChange={(e) => setF({ ...f, domainid: e.target.value })}>
              <option value="">ROOT</option>
              {domains.data
                ?.filter((d) => d.level)
                .map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.path}
                  </option>
                ))}
            </select>
          )}
        </Field>
      </FormDialog>
    </>
  );
}

function Users() {
  const users = useLoad(() => cs.list<User>('listUsers', 'user', { listall: true }).then((r) => r.items), []);
  const [keysOf, setKeysOf] = useState<User>();
  if (users.error) return <ErrorBanner error={users.error} />;
  if (!users.data) return <Loading />;
  return (
    <>
      <Table
        caption="Users"
        rows={users.data}
        rowKey={(u) => u.id}
        columns={[
          { key: 'username', label: 'Username', render: (u) => u.username, sortValue: (u) => u.username },
          { key: 'name', label: 'Name', render: (u) => [u.firstname, u.lastname].filter(Boolean).join(' ') },
          { key: 'account', label: 'Account', render: (u) => u.account, sortValue: (u) => u.account },
          { key: 'domain', label: 'Domain', render: (u) => u.domain },
          { key: 'state', label: 'State', render: (u) => <StateBadge state={u.state} /> },
          {
            key: 'keys',
            label: 'API keys',
            render: (u) => (
              <button
                type="button"
                className="link"
                aria-label={`API keys of ${u.username}`}
                onClick={() => setKeysOf(u)}
              >
                {u.apikey ? 'Show' : 'None yet'}
              </button>
            ),
          },
        ]}
      />
      {keysOf && <UserKeys user={keysOf} onClose={() => (setKeysOf(undefined), users.reload())} />}
    </>
  );
}

export function AccountsPage() {
  return (
    <>
      <PageHeader title="Domains and accounts" />
      <Tabs
        label="Administration"
        tabs={[
          { id: 'accounts', title: 'Accounts', render: () => <Accounts /> },
          { id: 'users', title: 'Users', render: () => <Users /> },
          { id: 'domains', title: 'Domains', render: () => <Domains /> },
        ]}
      />
    </>
  );
}
