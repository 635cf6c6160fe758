import { useEffect, useState } from 'react';
import { cs, errorText } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import { waitForJob } from '../../api/jobs';
import type { Vm } from '../../api/types';
import { Confirm } from '../../components/Dialog';
import { Tabs } from '../../components/Tabs';
import { ErrorBanner, Loading, PageHeader, StateBadge } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate } from '../../router';
import { VM_ACTIONS, type VmAction } from './actions';
import {
  ConsoleLog,
  ipOf,
  Nics,
  Overview,
  PasswordNotice,
  SecurityGroupsOf,
  TagsOf,
  UserData,
  Volumes,
} from './InstanceTabs';

async function loadVm(id: string): Promise<Vm | undefined> {
  return (await cs.list<Vm>('listVirtualMachines', 'virtualmachine', { id, listall: true })).items[0];
}

/** One instance: its facts in tabs, and the lifecycle actions its state allows, each confirmed and followed to the end of its job. */
export function InstanceDetail({ id, job }: { id: string; job?: string }) {
  const vm = useLoad(() => loadVm(id), [id]);
  const notify = useNotify();
  const [pending, setPending] = useState<VmAction>();
  const [running, setRunning] = useState<string>();
  const [error, setError] = useState<string>();
  // A password-enabled template's generated password is in the deploy job's result only: shown here, once.
  const [password, setPassword] = useState<string>();
  useFeedRefresh(vm.reload, (i) => (i.kind === 'job' ? i.instanceId === id : i.resourceId === id));
  // Arriving from the deploy wizard: follow the deploy job until the instance runs (or fails).
  useEffect(() => {
    if (!job) return;
    let live = true;
    setRunning('Deploy');
    waitForJob(job, () => live && vm.reload())
      .then(
        (done) => {
          if (!live) return;
          const pw = (done.jobresult?.['virtualmachine'] as { password?: string } | undefined)?.password;
          if (pw) setPassword(pw);
          notify('The instance is running', 'ok');
        },
        (e: unknown) => live && setError(errorText(e)),
      )
      .finally(() => {
        if (!live) return;
        setRunning(undefined);
        vm.reload();
        // The job is followed to its end; a reload of the page should not follow it again.
        navigate(`/instances/${id}`, undefined, true);
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job]);

  const act = async (a: VmAction) => {
    const v = vm.data!;
    setError(undefined);
    const res = await cs.call<{ jobid?: string }>(a.command, { id: v.id, ...a.params });
    setPending(undefined);
    setRunning(a.label);
    vm.reload();
    // The job runs on: the dialog is closed, the state badge follows each poll.
    void (async () => {
      try {
        if (res.jobid) await waitForJob(res.jobid, vm.reload);
        notify(`${v.displayname || v.name} ${a.done}`, 'ok');
        if (a.id === 'expunge') navigate('/instances');
      } catch (e) {
        setError(errorText(e));
        notify(`${a.label} ${v.name} failed: ${errorText(e)}`, 'bad');
      } finally {
        setRunning(undefined);
        vm.reload();
      }
    })();
  };

  if (vm.error && !vm.data) return <ErrorBanner error={vm.error} />;
  if (!vm.data)
    return vm.loading ? (
      <Loading what="Loading the instance" />
    ) : (
      <p role="alert">
        There is no instance {id} (it may have been expunged). <a href={href('/instances')}>All instances</a>
      </p>
    );
  const v = vm.data;
  const actions = VM_ACTIONS.filter((a) => a.states.includes(v.state) && cs.supports(a.command));
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={href('/instances')}>Instances</a> /
      </nav>
      <PageHeader title={v.displayname || v.name}>
        <span aria-live="polite" aria-atomic="true" className="state-live">
          State: <StateBadge state={v.state} />
          {running && <span className="muted"> ({running} in progress)</span>}
        </span>
        {ipOf(v) && (
          <span className="muted" aria-label="IP address">
            IP {ipOf(v)}
          </span>
        )}
        {actions.map((a) => (
          <button
            key={a.id}
            type="button"
            className={a.danger ? 'danger' : undefined}
            disabled={!!running}
            onClick={() => setPending(a)}
          >
            {a.label}
          </button>
        ))}
      </PageHeader>
      <ErrorBanner error={error} onDismiss={() => setError(undefined)} />
      {password && (
        <PasswordNotice name={v.displayname || v.name} password={password} onDone={() => setPassword(undefined)} />
      )}
      {pending && (
        <Confirm
          open
          title={`${pending.label} instance`}
          message={pending.confirm(v)}
          confirmLabel={pending.label}
          danger={pending.danger}
          onClose={() => setPending(undefined)}
          onConfirm={() => act(pending)}
        />
      )}
      <Tabs
        label="Instance details"
        tabs={[
          { id: 'overview', title: 'Overview', render: () => <Overview vm={v} /> },
          { id: 'nics', title: 'NICs', render: () => <Nics vm={v} /> },
          { id: 'volumes', title: 'Volumes', render: () => <Volumes vm={v} /> },
          { id: 'sgs', title: 'Security groups', render: () => <SecurityGroupsOf vm={v} /> },
          { id: 'tags', title: 'Tags', render: () => <TagsOf vm={v} onChange={vm.reload} /> },
          { id: 'userdata', title: 'User data', render: () => <UserData vm={v} /> },
          { id: 'console', title: 'Console log', render: () => <ConsoleLog vm={v} /> },
        ]}
      />
    </>
  );
}
