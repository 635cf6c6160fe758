import { Field } from '../../components/ui';

/** The protocol/port part of a security-group or firewall rule form. */
export interface RuleForm {
  protocol: string;
  startport: string;
  endport: string;
  icmptype: string;
  icmpcode: string;
  cidr: string;
}

export const ruleParams = (f: RuleForm): Record<string, string | undefined> =>
  f.protocol === 'icmp'
    ? { protocol: 'icmp', icmptype: f.icmptype, icmpcode: f.icmpcode }
    : f.protocol === 'all'
      ? { protocol: 'all' }
      : { protocol: f.protocol, startport: f.startport, endport: f.endport || f.startport };

export const portsOf = (r: {
  protocol: string;
  startport?: number | string;
  endport?: number | string;
  icmptype?: number;
  icmpcode?: number;
}): string =>
  r.protocol === 'icmp'
    ? `type ${r.icmptype ?? -1}, code ${r.icmpcode ?? -1}`
    : r.startport === undefined
      ? 'all'
      : r.startport === r.endport
        ? String(r.startport)
        : `${r.startport}–${r.endport}`;

export function RuleFields({
  form,
  onChange,
  cidrLabel,
}: {
  form: RuleForm;
  onChange: (p: Partial<RuleForm>) => void;
  cidrLabel: string;
}) {
  return (
    <>
      <Field label="Protocol">
        {(id) => (
          <select id={id} value={form.protocol} onChange={(e) => onChange({ protocol: e.target.value })}>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
            <option value="icmp">ICMP</option>
            <option value="all">All</option>
          </select>
        )}
      </Field>
      {(form.protocol === 'tcp' || form.protocol === 'udp') && (
        <div className="row">
          <Field label="Start port">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={65535}
                value={form.startport}
                onChange={(e) => onChange({ startport: e.target.value })}
                required
              />
            )}
          </Field>
          <Field label="End port">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={65535}
                value={form.endport}
                onChange={(e) => onChange({ endport: e.target.value })}
              />
            )}
          </Field>
        </div>
      )}
      {form.protocol === 'icmp' && (
        <div className="row">
          <Field label="ICMP type">
            {(id) => (
              <input
                id={id}
                type="number"
                value={form.icmptype}
                onChange={(e) => onChange({ icmptype: e.target.value })}
              />
            )}
          </Field>
          <Field label="ICMP code">
            {(id) => (
              <input
                id={id}
                type="number"
                value={form.icmpcode}
                onChange={(e) => onChange({ icmpcode: e.target.value })}
              />
            )}
          </Field>
        </div>
      )}
      <Field label={cidrLabel} hint="One or more CIDRs, separated by commas">
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            value={form.cidr}
            onChange={(e) => onChange({ cidr: e.target.value })}
            required
          />
        )}
      </Field>
    </>
  );
}
