import { CsApi, cloudstackEndpoint } from './cloudstack.client.js';
import { eq, fields, match, ok, Skip, waitFor, type Scenario, type Suite, type Target } from './scenario.js';

interface Cs {
  t: Target;
  api: CsApi;
  zone: { id: string; name: string; networktype: string; securitygroupsenabled?: boolean };
  offering?: string;
  template?: string;
}

const BAD_SIGNATURE = 'unable to verify user credentials and/or request signature';
const badIdText = (cmd: string, name: string, v: string) =>
  `Unable to execute API command ${cmd} due to invalid value. Invalid parameter ${name} value=${v} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`;

/** An error answer as CloudStack's ExceptionResponse: HTTP status = errorcode, errortext as given. */
function csError(where: string, r: { status: number; body: any }, status: number, text: string | RegExp): void {
  eq(`${where} HTTP status`, r.status, status);
  eq(`${where} errorcode`, r.body?.errorcode, status);
  if (typeof text === 'string') eq(`${where} errortext`, r.body?.errortext, text);
  else match(`${where} errortext`, r.body?.errortext, text);
}

async function prepare(t: Target): Promise<Cs> {
  const api = new CsApi(cloudstackEndpoint(t.url), t.apiKey, t.secretKey);
  const zones = ((await api.ok('listZones', { available: 'true' })).zone ?? []) as Cs['zone'][];
  // A basic zone needs no network to deploy into, so it is the one chosen when none is named.
  const zone = t.zone
    ? zones.find((z) => z.name === t.zone)
    : (zones.find((z) => z.networktype === 'Basic') ?? zones[0]);
  if (!zone) throw new Skip(t.zone ? `no zone named ${t.zone}` : 'the endpoint lists no zones');
  const offerings = ((await api.ok('listServiceOfferings')).serviceoffering ?? []) as {
    id: string;
    name: string;
    memory: number;
    cpunumber: number;
  }[];
  const offering = t.offering
    ? offerings.find((o) => o.name === t.offering)
    : [...offerings].sort((a, b) => a.memory * a.cpunumber - b.memory * b.cpunumber)[0];
  const templates = ((await api.ok('listTemplates', { templatefilter: 'executable', zoneid: zone.id })).template ??
    []) as { id: string; name: string; isready: boolean }[];
  const template = templates.find((x) => (t.template ? x.name === t.template : x.isready));
  return { t, api, zone, offering: offering?.id, template: template?.id };
}

const scenarios: Scenario<Cs>[] = [
  {
    id: 'signature.refused',
    title: 'a request signed with the wrong secret is refused with 401',
    run: async ({ api }) =>
      csError('listZones', await api.send({ command: 'listZones' }, { secret: 'not-the-secret' }), 401, BAD_SIGNATURE),
  },
  {
    id: 'zones.list',
    title: 'listZones answers count and zone[] with id, name, networktype, allocationstate',
    run: async ({ api }) => {
      const r = await api.ok('listZones');
      ok('listzonesresponse.zone', Array.isArray(r.zone) && r.zone.length > 0, 'a non-empty array', r.zone);
      eq('listzonesresponse.count', r.count, r.zone.length);
      for (const [i, z] of (r.zone as any[]).entries()) {
        fields(`zone[${i}]`, z, ['id', 'name', 'networktype', 'allocationstate']);
        ok(`zone[${i}].networktype`, ['Basic', 'Advanced'].includes(z.networktype), 'Basic or Advanced', z.networktype);
      }
    },
  },
  {
    id: 'envelope.xml',
    title: 'response=xml answers <listzonesresponse cloud-stack-version=...> as text/xml',
    run: async ({ api }) => {
      const r = await api.send({ command: 'listZones' }, { response: 'xml' });
      eq('listZones HTTP status', r.status, 200);
      match('content-type', r.contentType, /^text\/xml/);
      match(
        'root element',
        r.text,
        /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<listzonesresponse cloud-stack-version="[^"]+">/,
      );
    },
  },
  {
    id: 'params.missing',
    title: 'a missing required parameter is a 431 naming it',
    run: async ({ api }) =>
      csError(
        'createSecurityGroup',
        await api.call('createSecurityGroup'),
        431,
        'Unable to execute API command createsecuritygroup due to missing parameter name',
      ),
  },
  {
    id: 'params.bad-id',
    title: "an id that is not a UUID is a 431 with CloudStack's exact text",
    run: async ({ api }) =>
      csError(
        'listVirtualMachines',
        await api.call('listVirtualMachines', { id: 'no-such-vm' }),
        431,
        badIdText('listvirtualmachines', 'id', 'no-such-vm'),
      ),
  },
  {
    id: 'list.paging',
    title: 'page and pagesize cut the list; count stays the total',
    run: async ({ api }) => {
      const all = await api.ok('listServiceOfferings');
      if ((all.count ?? 0) < 2) throw new Skip('fewer than two service offerings');
      const page = await api.ok('listServiceOfferings', { page: '2', pagesize: '1' });
      eq('listserviceofferingsresponse.count', page.count, all.count);
      eq('serviceoffering.length', page.serviceoffering?.length, 1);
      eq('serviceoffering[0].id', page.serviceoffering[0].id, all.serviceoffering[1].id);
    },
  },
  {
    id: 'securitygroup.lifecycle',
    title: 'create a security group, refuse a duplicate, authorize and revoke ingress, tag it, delete it',
    run: async ({ api, t }, s) => {
      const name = `conformance-${s.suffix}`;
      s.step('createSecurityGroup');
      const sg = (await api.ok('createSecurityGroup', { name, description: 'polystack conformance' })).securitygroup;
      s.defer(() => api.ok('deleteSecurityGroup', { id: sg.id }).catch(() => undefined));
      fields('securitygroup', sg, ['id', 'name', 'account', 'domainid']);
      eq('securitygroup.name', sg.name, name);
      s.step('duplicate');
      csError(
        'createSecurityGroup',
        await api.call('createSecurityGroup', { name }),
        431,
        `Unable to create security group, a group with name ${name} already exists.`,
      );
      s.step('authorizeSecurityGroupIngress');
      const auth = await api.job(
        'authorizeSecurityGroupIngress',
        { securitygroupid: sg.id, protocol: 'tcp', startport: '22', endport: '22', cidrlist: '10.0.0.0/8' },
        t.timeoutMs,
      );
      const rule = auth.securitygroup?.ingressrule?.[0];
      fields('jobresult.securitygroup.ingressrule[0]', rule, ['ruleid', 'protocol', 'startport', 'endport', 'cidr']);
      eq('ingressrule[0].cidr', rule.cidr, '10.0.0.0/8');
      s.step('createTags');
      await api.job(
        'createTags',
        { resourcetype: 'SecurityGroup', resourceids: sg.id, 'tags[0].key': 'suite', 'tags[0].value': 'conformance' },
        t.timeoutMs,
      );
      const tags = (await api.ok('listTags', { resourceid: sg.id })).tag ?? [];
      eq(
        'listTags tag[].key=value',
        tags.map((x: any) => `${x.key}=${x.value}`),
        ['suite=conformance'],
      );
      s.step('revokeSecurityGroupIngress');
      await api.job('revokeSecurityGroupIngress', { id: rule.ruleid }, t.timeoutMs);
      const after = (await api.ok('listSecurityGroups', { id: sg.id })).securitygroup?.[0];
      eq('ingressrule after revoke', after?.ingressrule ?? [], []);
      s.step('deleteSecurityGroup');
      eq('deletesecuritygroupresponse.success', (await api.ok('deleteSecurityGroup', { id: sg.id })).success, true);
      eq(
        'listSecurityGroups after delete',
        (await api.ok('listSecurityGroups', { securitygroupname: name })).securitygroup ?? [],
        [],
      );
    },
  },
  {
    id: 'vm.lifecycle',
    title: 'deploy a VM, stop it, start it, destroy it with expunge',
    run: async ({ api, t, zone, offering, template }, s) => {
      if (!offering || !template)
        throw new Skip(`no ${offering ? 'ready template' : 'service offering'} in ${zone.name}`);
      const name = `conformance-${s.suffix}`;
      s.step('deployVirtualMachine');
      const { id, jobid } = await api.ok('deployVirtualMachine', {
        zoneid: zone.id,
        serviceofferingid: offering,
        templateid: template,
        name,
      });
      ok('deployvirtualmachineresponse', id && jobid, 'id and jobid', { id, jobid });
      s.defer(() => api.call('destroyVirtualMachine', { id, expunge: 'true' }));
      const deployed = await api.wait('deployVirtualMachine', jobid, t.timeoutMs);
      fields('jobresult.virtualmachine', deployed.virtualmachine, [
        'id',
        'name',
        'state',
        'zoneid',
        'templateid',
        'serviceofferingid',
        'nic',
      ]);
      eq('virtualmachine.state', deployed.virtualmachine.state, 'Running');
      eq('virtualmachine.name', deployed.virtualmachine.name, name);
      s.step('stopVirtualMachine');
      eq('stopped state', (await api.job('stopVirtualMachine', { id }, t.timeoutMs)).virtualmachine?.state, 'Stopped');
      s.step('startVirtualMachine');
      eq('started state', (await api.job('startVirtualMachine', { id }, t.timeoutMs)).virtualmachine?.state, 'Running');
      s.step('destroyVirtualMachine');
      await api.job('destroyVirtualMachine', { id, expunge: 'true' }, t.timeoutMs);
      await waitFor(
        'listVirtualMachines after expunge',
        t.timeoutMs,
        async () =>
          ((await api.ok('listVirtualMachines', { id })).virtualmachine ?? []).length === 0 ? true : undefined,
        () => 'listed',
      );
    },
  },
];

export const cloudstackSuite: Suite<Cs> = { front: 'cloudstack', prepare, scenarios };
