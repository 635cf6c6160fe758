import type { Params } from '../../api/cloudstack';
import { CheckField, SelectField, TextField } from '../../components/forms';
import type { OfferingKind } from './Offerings';

export interface OfferingForm {
  name: string;
  displaytext: string;
  cpunumber: string;
  cpuspeed: string;
  memory: string;
  customized: boolean;
  offerha: boolean;
  storagetype: string;
  disksize: string;
  guestiptype: string;
  services: string[];
}

export const emptyForm: OfferingForm = {
  name: '',
  displaytext: '',
  cpunumber: '1',
  cpuspeed: '1000',
  memory: '1024',
  customized: false,
  offerha: false,
  storagetype: 'shared',
  disksize: '10',
  guestiptype: 'Isolated',
  services: ['Dhcp', 'Dns'],
};

const NETWORK_SERVICES = [
  'Dhcp',
  'Dns',
  'SourceNat',
  'StaticNat',
  'PortForwarding',
  'Lb',
  'Firewall',
  'UserData',
  'SecurityGroup',
  'Vpn',
];
const VPC_SERVICES = ['Dhcp', 'Dns', 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'NetworkACL', 'UserData', 'Vpn'];

/** The parameters of the create command of `kind` from the form (a customised offering leaves out its sizes). */
export function createParams(kind: OfferingKind, f: OfferingForm): Params {
  const base = { name: f.name, displaytext: f.displaytext || f.name };
  if (kind === 'service')
    return {
      ...base,
      storagetype: f.storagetype,
      offerha: f.offerha,
      ...(f.customized ? {} : { cpunumber: f.cpunumber, cpuspeed: f.cpuspeed, memory: f.memory }),
    };
  if (kind === 'disk')
    return { ...base, storagetype: f.storagetype, ...(f.customized ? { customized: true } : { disksize: f.disksize }) };
  if (kind === 'network')
    return { ...base, guestiptype: f.guestiptype, traffictype: 'GUEST', supportedservices: f.services.join(',') };
  return { ...base, supportedservices: f.services.join(',') };
}

export function OfferingFields({
  kind,
  form: f,
  onChange,
}: {
  kind: OfferingKind;
  form: OfferingForm;
  onChange: (p: Partial<OfferingForm>) => void;
}) {
  const storage = (
    <SelectField
      label="Storage type"
      value={f.storagetype}
      onChange={(storagetype) => onChange({ storagetype })}
      options={[
        { value: 'shared', label: 'Shared' },
        { value: 'local', label: 'Local' },
      ]}
    />
  );
  const all = kind === 'vpc' ? VPC_SERVICES : NETWORK_SERVICES;
  return (
    <>
      <div className="row">
        <TextField label="Name" value={f.name} onChange={(name) => onChange({ name })} required />
        <TextField label="Description" value={f.displaytext} onChange={(displaytext) => onChange({ displaytext })} />
      </div>
      {(kind === 'service' || kind === 'disk') && (
        <CheckField
          label={
            kind === 'service'
              ? 'Custom (CPU and memory chosen at deploy)'
              : 'Custom size (chosen when creating a volume)'
          }
          checked={f.customized}
          onChange={(customized) => onChange({ customized })}
        />
      )}
      {kind === 'service' && (
        <>
          {!f.customized && (
            <div className="row">
              <TextField
                label="CPU cores"
                type="number"
                min={1}
                value={f.cpunumber}
                onChange={(cpunumber) => onChange({ cpunumber })}
                required
              />
              <TextField
                label="CPU speed (MHz)"
                type="number"
                min={1}
                value={f.cpuspeed}
                onChange={(cpuspeed) => onChange({ cpuspeed })}
                required
              />
              <TextField
                label="Memory (MiB)"
                type="number"
                min={1}
                value={f.memory}
                onChange={(memory) => onChange({ memory })}
                required
              />
            </div>
          )}
          {storage}
          <CheckField
            label="Offer high availability"
            checked={f.offerha}
            onChange={(offerha) => onChange({ offerha })}
          />
        </>
      )}
      {kind === 'disk' && (
        <>
          {!f.customized && (
            <TextField
              label="Disk size (GiB)"
              type="number"
              min={1}
              value={f.disksize}
              onChange={(disksize) => onChange({ disksize })}
              required
            />
          )}
          {storage}
        </>
      )}
      {kind === 'network' && (
        <SelectField
          label="Guest type"
          value={f.guestiptype}
          onChange={(guestiptype) => onChange({ guestiptype })}
          options={['Isolated', 'Shared', 'L2'].map((g) => ({ value: g, label: g }))}
        />
      )}
      {(kind === 'network' || kind === 'vpc') && (
        <fieldset>
          <legend>Supported services</legend>
          <div className="checks">
            {all.map((s) => (
              <CheckField
                key={s}
                label={s}
                checked={f.services.includes(s)}
                onChange={(on) => onChange({ services: on ? [...f.services, s] : f.services.filter((x) => x !== s) })}
              />
            ))}
          </div>
        </fieldset>
      )}
    </>
  );
}
