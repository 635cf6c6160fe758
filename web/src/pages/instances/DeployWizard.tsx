import { useEffect, useRef, useState, type ReactNode } from 'react';
import { toBase64 } from '../../api/base64';
import { cs } from '../../api/cloudstack';
import { useAction, useLoad } from '../../api/hooks';
import type { KeyPair, Network, SecurityGroup, ServiceOffering, Template, Zone } from '../../api/types';
import { ErrorBanner, Field, Loading, PageHeader } from '../../components/ui';
import { href, navigate } from '../../router';

interface Choice {
  zone?: Zone;
  templateId?: string;
  offeringId?: string;
  networkId?: string;
  groupIds: string[];
  keypair?: string;
  userData: string;
  name: string;
}

const STEPS = ['Zone', 'Template', 'Offering', 'Network', 'Access', 'Review'] as const;
const usesGroups = (z?: Zone) => !!z && (z.networktype === 'Basic' || !!z.securitygroupsenabled);

/** A radio group from a list: one choice, arrow keys move within it as the browser does for radios. */
function Radios<T>({
  legend,
  items,
  value,
  id,
  label,
  onChange,
  empty,
}: {
  legend: string;
  items: T[] | undefined;
  value?: string;
  id: (t: T) => string;
  label: (t: T) => ReactNode;
  onChange: (id: string) => void;
  empty?: string;
}) {
  if (!items) return <Loading />;
  return (
    <fieldset>
      <legend>{legend}</legend>
      {!items.length && <p className="muted">{empty ?? 'Nothing to choose from.'}</p>}
      {items.map((t) => (
        <label key={id(t)} className="choice">
          <input type="radio" name={legend} value={id(t)} checked={value === id(t)} onChange={() => onChange(id(t))} />
          {label(t)}
        </label>
      ))}
    </fieldset>
  );
}

/** Zone, template, offering, network or security groups, key pair and user data, then deployVirtualMachine. */
export function DeployWizard() {
  const [step, setStep] = useState(0);
  const [c, setC] = useState<Choice>({ groupIds: [], userData: '', name: '' });
  const set = (patch: Partial<Choice>) => setC((x) => ({ ...x, ...patch }));
  const zones = useLoad(() => cs.list<Zone>('listZones', 'zone', { available: true }).then((r) => r.items), []);
  const zoneId = c.zone?.id;
  const templates = useLoad(
    async () =>
      zoneId
        ? (await cs.list<Template>('listTemplates', 'template', { templatefilter: 'executable', zoneid: zoneId })).items
        : undefined,
    [zoneId],
  );
  const offerings = useLoad(
    () => cs.list<ServiceOffering>('listServiceOfferings', 'serviceoffering').then((r) => r.items),
    [],
  );
  const networks = useLoad(
    async () =>
      zoneId && !usesGroups(c.zone)
        ? (await cs.list<Network>('listNetworks', 'network', { zoneid: zoneId, canusefordeploy: true })).items
        : [],
    [zoneId],
  );
  const groups = useLoad(() => cs.list<SecurityGroup>('listSecurityGroups', 'securitygroup').then((r) => r.items), []);
  const keys = useLoad(() => cs.list<KeyPair>('listSSHKeyPairs', 'sshkeypair').then((r) => r.items), []);
  const deploy = useAction();
  const panel = useRef<HTMLDivElement>(null);
  // Moving between steps puts focus on the new step's heading.
  useEffect(() => panel.current?.querySelector<HTMLElement>('h2')?.focus(), [step]);

  const ready = [!!c.zone, !!c.templateId, !!c.offeringId, true, true, true];
  const submit = async () => {
    const r = await deploy.run(() =>
      cs.call<{ id: string; jobid: string }>('deployVirtualMachine', {
        zoneid: c.zone!.id,
        templateid: c.templateId,
        serviceofferingid: c.offeringId,
        networkids: c.networkId,
        securitygroupids: c.groupIds.join(',') || undefined,
        keypair: c.keypair,
        userdata: c.userData ? toBase64(c.userData) : undefined,
        name: c.name || undefined,
        displayname: c.name || undefined,
      }),
    );
    if (r) navigate(`/instances/${r.id}`, { job: r.jobid });
  };
  const name = (list: { id: string; name: string }[] | undefined, id?: string) =>
    list?.find((x) => x.id === id)?.name ?? '—';

  const body: ReactNode[] = [
    <Radios
      legend="Zone"
      items={zones.data}
      value={zoneId}
      id={(z) => z.id}
      label={(z) => (
        <>
          <strong>{z.name}</strong>{' '}
          <span className="muted">
            {z.networktype}
            {z.securitygroupsenabled ? ', security groups' : ''}
          </span>
        </>
      )}
      onChange={(id) =>
        set({ zone: zones.data!.find((z) => z.id === id), networkId: undefined, templateId: undefined })
      }
    />,
    <Radios
      legend="Template"
      items={templates.data}
      value={c.templateId}
      id={(t) => t.id}
      label={(t) => (
        <>
          <strong>{t.name}</strong>{' '}
          <span className="muted">
            {t.ostypename}
            {t.passwordenabled ? ', password-enabled: a password is generated at deploy' : ''}
          </span>
        </>
      )}
      onChange={(id) => set({ templateId: id })}
      empty="No executable template in this zone."
    />,
    <Radios
      legend="Service offering"
      items={offerings.data}
      value={c.offeringId}
      id={(o) => o.id}
      label={(o) => (
        <>
          <strong>{o.name}</strong>{' '}
          <span className="muted">
            {o.cpunumber} × {o.cpuspeed} MHz, {o.memory} MiB
          </span>
        </>
      )}
      onChange={(id) => set({ offeringId: id })}
    />,
    usesGroups(c.zone) ? (
      <fieldset>
        <legend>Security groups</legend>
        <p className="muted">Without a choice the account's default group is used.</p>
        {groups.data?.map((g) => (
          <label key={g.id} className="choice">
            <input
              type="checkbox"
              checked={c.groupIds.includes(g.id)}
              onChange={(e) =>
                set({ groupIds: e.target.checked ? [...c.groupIds, g.id] : c.groupIds.filter((x) => x !== g.id) })
              }
            />
            {g.name} <span className="muted">{g.description}</span>
          </label>
        ))}
      </fieldset>
    ) : (
      <Radios
        legend="Network"
        items={
          networks.data && [{ id: '', name: "The account's default isolated network" } as Network, ...networks.data]
        }
        value={c.networkId ?? ''}
        id={(n) => n.id}
        label={(n) => (
          <>
            <strong>{n.name}</strong> {n.cidr && <span className="muted">{n.cidr}</span>}
          </>
        )}
        onChange={(id) => set({ networkId: id || undefined })}
      />
    ),
    <fieldset>
      <legend>Access</legend>
      <Field label="Name" hint="Optional; CloudStack names it after its id otherwise">
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            value={c.name}
            onChange={(e) => set({ name: e.target.value })}
            pattern="[A-Za-z0-9\-]*"
            title="Letters, digits and dashes"
          />
        )}
      </Field>
      <Field label="SSH key pair">
        {(id) => (
          <select id={id} value={c.keypair ?? ''} onChange={(e) => set({ keypair: e.target.value || undefined })}>
            <option value="">None</option>
            {keys.data?.map((k) => (
              <option key={k.name}>{k.name}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="User data" hint="#cloud-config or a script; sent base64-encoded">
        {(id, hint) => (
          <textarea
            id={id}
            aria-describedby={hint}
            rows={6}
            value={c.userData}
            onChange={(e) => set({ userData: e.target.value })}
          />
        )}
      </Field>
    </fieldset>,
    <dl className="details">
      {[
        ['Zone', c.zone?.name],
        ['Template', name(templates.data, c.templateId)],
        ['Offering', name(offerings.data, c.offeringId)],
        [
          usesGroups(c.zone) ? 'Security groups' : 'Network',
          usesGroups(c.zone)
            ? c.groupIds.map((g) => name(groups.data, g)).join(', ') || 'default'
            : c.networkId
              ? name(networks.data, c.networkId)
              : 'default isolated network',
        ],
        ['Key pair', c.keypair ?? 'none'],
        ['User data', c.userData ? `${c.userData.length} characters` : 'none'],
        ['Name', c.name || '(generated)'],
      ].map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>,
  ];

  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={href('/instances')}>Instances</a> /
      </nav>
      <PageHeader title="Deploy an instance" />
      <ol className="steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : undefined}>
            {s}
          </li>
        ))}
      </ol>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (step < STEPS.length - 1) setStep(step + 1);
          else void submit();
        }}
      >
        <div ref={panel} className="card step">
          <h2 tabIndex={-1}>
            Step {step + 1} of {STEPS.length}: {STEPS[step]}
          </h2>
          {body[step]}
        </div>
        <ErrorBanner error={zones.error ?? templates.error ?? offerings.error ?? deploy.error} />
        <div className="wizard-nav">
          <button type="button" onClick={() => setStep(step - 1)} disabled={step === 0}>
            Back
          </button>
          {step < STEPS.length - 1 ? (
            <button type="submit" className="primary" disabled={!ready[step]}>
              Next
            </button>
          ) : (
            <button type="submit" className="primary" disabled={deploy.busy}>
              {deploy.busy ? 'Deploying…' : 'Deploy'}
            </button>
          )}
        </div>
      </form>
    </>
  );
}
