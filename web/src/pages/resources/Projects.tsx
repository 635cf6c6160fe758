import { useState } from 'react';
import { act, first } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { Project, ProjectAccount } from '../../api/resources';
import { FormDialog } from '../../components/Dialog';
import { Crumbs, Filters, SelectField, TextField, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { Details, ErrorBanner, Loading, PageHeader, StateBadge, when } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate, type Route } from '../../router';
import { useListing, useRemoval } from './listing';

const owners = (p: Project) => p.owner?.map((o) => o.account).join(', ') ?? p.account;
const isProjectEvent = (type: string) => type.startsWith('PROJECT.');

/** Projects the caller belongs to (all of them for an admin): search, filter by state, create. */
export function Projects({ route }: { route: Route }) {
  const { q, filter, paging, pager } = useListing(route);
  const projects = useLoad(
    () => cs.list<Project>('listProjects', 'project', { listall: true, keyword: q.keyword, state: q.state, ...paging }),
    [q.keyword, q.state, paging.page, paging.pagesize],
  );
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({ name: '', displaytext: '' });
  useFeedRefresh(projects.reload, (i) => i.kind === 'event' && isProjectEvent(i.type));
  return (
    <>
      <PageHeader title="Projects">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create project
        </button>
      </PageHeader>
      <Filters label="projects" keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="State"
          value={q.state ?? ''}
          onChange={(state) => filter({ state })}
          placeholder="Any state"
          options={['Active', 'Suspended'].map((s) => ({ value: s, label: s }))}
        />
      </Filters>
      <ErrorBanner error={projects.error} />
      {projects.data ? (
        <>
          <Table
            caption="Projects"
            rows={projects.data.items}
            rowKey={(p) => p.id}
            busy={projects.loading}
            empty="No projects match."
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (p) => <a href={href(`/projects/${p.id}`)}>{p.name}</a>,
                sortValue: (p) => p.name,
              },
              {
                key: 'state',
                label: 'State',
                render: (p) => <StateBadge state={p.state} />,
                sortValue: (p) => p.state,
              },
              { key: 'displaytext', label: 'Description', render: (p) => p.displaytext },
              { key: 'owner', label: 'Owner', render: owners },
              { key: 'domain', label: 'Domain', render: (p) => p.domain, sortValue: (p) => p.domain ?? '' },
              { key: 'vms', label: 'Instances', render: (p) => p.vmtotal ?? 0, numeric: true },
              { key: 'created', label: 'Created', render: (p) => when(p.created), sortValue: (p) => p.created ?? '' },
            ]}
          />
          {pager(projects.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Create a project"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Create"
        onSubmit={async () => {
          const p = first<Project>(await act('createProject', { name: f.name, displaytext: f.displaytext || f.name }));
          projects.reload();
          if (p?.id) navigate(`/projects/${p.id}`);
        }}
      >
        <TextField label="Name" value={f.name} onChange={(name) => setF({ ...f, name })} required />
        <TextField label="Description" value={f.displaytext} onChange={(displaytext) => setF({ ...f, displaytext })} />
      </FormDialog>
    </>
  );
}

/** One project: describe, suspend or activate, delete; its accounts (add, remove). */
export function ProjectDetail({ id }: { id: string }) {
  const project = useLoad(
    () => cs.list<Project>('listProjects', 'project', { id, listall: true }).then((r) => r.items[0]),
    [id],
  );
  const accounts = useLoad(
    () => cs.list<ProjectAccount>('listProjectAccounts', 'projectaccount', { projectid: id }).then((r) => r.items),
    [id],
  );
  const [dialog, setDialog] = useState<'edit' | 'add'>();
  const [text, setText] = useState('');
  const [account, setAccount] = useState('');
  const removal = useRemoval();
  const confirm = useConfirm();
  const notify = useNotify();
  useFeedRefresh(
    removal.live(() => (project.reload(), accounts.reload())),
    (i) => i.kind === 'event' && isProjectEvent(i.type),
  );
  if (project.error && !project.data) return <ErrorBanner error={project.error} />;
  if (!project.data) return project.loading ? <Loading /> : <p role="alert">No such project.</p>;
  const p = project.data;
  const suspended = p.state === 'Suspended';
  return (
    <>
      <Crumbs to={href('/projects')} label="Projects" />
      <PageHeader title={`Project ${p.name}`}>
        <button type="button" onClick={() => (setText(p.displaytext ?? ''), setDialog('edit'))}>
          Edit
        </button>
        <button
          type="button"
          onClick={() =>
            confirm.ask({
              title: suspended ? 'Activate project' : 'Suspend project',
              label: suspended ? 'Activate' : 'Suspend',
              danger: !suspended,
              message: suspended
                ? `Activate ${p.name}?`
                : `Suspend ${p.name}? Its instances are stopped and nothing new may be made in it.`,
              run: async () => (
                await act(suspended ? 'activateProject' : 'suspendProject', { id }),
                notify(`Project ${p.name} ${suspended ? 'activated' : 'suspended'}`, 'ok'),
                project.reload()
              ),
            })
          }
        >
          {suspended ? 'Activate' : 'Suspend'}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() =>
            confirm.ask({
              title: 'Delete project',
              message: `Delete ${p.name} and everything in it?`,
              label: 'Delete',
              run: () => removal.remove(async () => (await act('deleteProject', { id }), navigate('/projects'))),
            })
          }
        >
          Delete
        </button>
      </PageHeader>
      <Details
        rows={[
          ['State', <StateBadge state={p.state} />],
          ['Description', p.displaytext],
          ['Owner', owners(p)],
          ['Domain', p.domain],
          ['Instances', p.vmtotal ?? 0],
          ['Volumes', p.volumetotal ?? 0],
          ['Networks', p.networktotal ?? 0],
          ['Created', when(p.created)],
          ['ID', <code>{p.id}</code>],
        ]}
      />
      <h2>Accounts</h2>
      <ErrorBanner error={accounts.error} />
      <Table
        caption={`Accounts of ${p.name}`}
        rows={accounts.data ?? []}
        rowKey={(a) => a.account}
        busy={accounts.loading}
        columns={[
          { key: 'account', label: 'Account', render: (a) => a.account, sortValue: (a) => a.account },
          { key: 'role', label: 'Role', render: (a) => a.role },
          {
            key: 'actions',
            label: 'Actions',
            render: (a) =>
              a.role !== 'Admin' && (
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove ${a.account} from ${p.name}`}
                  onClick={() =>
                    confirm.ask({
                      title: 'Remove account',
                      message: `Remove ${a.account} from ${p.name}?`,
                      label: 'Remove',
                      run: async () => (
                        await act('deleteAccountFromProject', { projectid: id, account: a.account }),
                        accounts.reload()
                      ),
                    })
                  }
                >
                  Remove
                </button>
              ),
          },
        ]}
      />
      <button type="button" onClick={() => (setAccount(''), setDialog('add'))}>
        Add account
      </button>
      <FormDialog
        title={`Edit ${p.name}`}
        open={dialog === 'edit'}
        onClose={() => setDialog(undefined)}
        submitLabel="Save"
        onSubmit={async () => (await act('updateProject', { id, displaytext: text }), project.reload())}
      >
        <TextField label="Description" value={text} onChange={setText} required />
      </FormDialog>
      <FormDialog
        title={`Add an account to ${p.name}`}
        open={dialog === 'add'}
        onClose={() => setDialog(undefined)}
        submitLabel="Add"
        onSubmit={async () => (
          await act('addAccountToProject', { projectid: id, account }),
          notify(`${account} added to ${p.name}`, 'ok'),
          accounts.reload()
        )}
      >
        <TextField
          label="Account name"
          value={account}
          onChange={setAccount}
          required
          hint="An account of the project's domain."
        />
      </FormDialog>
      {confirm.dialog}
    </>
  );
}
