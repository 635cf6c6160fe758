#!/usr/bin/env node
// The GCE twin of examples/ec2-vpc: a custom-mode network with two subnetworks, firewall rules by
// network tag, an instance template and two instances made from it, through @google-cloud/compute
// authorized by a service-account key file. Only the endpoint options name polystack:
//
//   eval "$(polystack env --gce)"   # GOOGLE_APPLICATION_CREDENTIALS, GOOGLE_CLOUD_UNIVERSE_DOMAIN,
//                                   # CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE
//   node examples/gce-network/walkthrough.mjs
//
// It checks what it built as it goes (any difference throws) and removes it all unless KEEP=1.
import assert from 'node:assert/strict';
import {
  FirewallsClient, GlobalOperationsClient, ImagesClient, InstanceTemplatesClient, InstancesClient, NetworksClient,
  RegionOperationsClient, SubnetworksClient, ZoneOperationsClient, ZonesClient,
} from '@google-cloud/compute';

const endpoint = new URL(process.env.CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE);
const options = {
  apiEndpoint: endpoint.hostname, port: Number(endpoint.port), protocol: endpoint.protocol.replace(':', ''),
  universeDomain: process.env.GOOGLE_CLOUD_UNIVERSE_DOMAIN,
};
const zone = process.env.ZONE ?? 'sandbox-simulator-advanced';
const [networks, subnetworks, firewalls, templates, instances] = [NetworksClient, SubnetworksClient, FirewallsClient, InstanceTemplatesClient, InstancesClient].map((C) => new C(options));
const [globalOps, regionOps, zoneOps] = [GlobalOperationsClient, RegionOperationsClient, ZoneOperationsClient].map((C) => new C(options));
const project = await networks.getProjectId();
const region = (await new ZonesClient(options).get({ project, zone }))[0].region.split('/').pop();

/** Waits for a write's operation to end, as gcloud does, and fails on its error. */
async function done(call, where) {
  const [op] = await call;
  const name = op.latestResponse.name;
  const wait = () => (where === 'global' ? globalOps.wait({ project, operation: name })
    : where === 'region' ? regionOps.wait({ project, region, operation: name }) : zoneOps.wait({ project, zone, operation: name }));
  let [cur] = await wait();
  while (cur.status !== 'DONE') [cur] = await wait();
  assert.ok(!cur.error, JSON.stringify(cur.error));
  return cur;
}

// The network and its two subnetworks.
const network = `projects/${project}/global/networks/walkthrough`;
await done(networks.insert({ project, networkResource: { name: 'walkthrough', autoCreateSubnetworks: false } }), 'global');
for (const [name, ipCidrRange] of [['web', '10.30.1.0/24'], ['app', '10.30.2.0/24']]) {
  await done(subnetworks.insert({ project, region, subnetworkResource: { name, network, ipCidrRange } }), 'region');
}

// Firewall rules by target tag: HTTPS to the web machines from anywhere, 8080 to the app machines from the web
// subnetwork (polystack refuses sourceTags: it could not narrow a rule to them).
await done(firewalls.insert({ project, firewallResource: { name: 'walkthrough-allow-https', network, targetTags: ['web'], sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'tcp', ports: ['443'] }] } }), 'global');
await done(firewalls.insert({ project, firewallResource: { name: 'walkthrough-allow-app', network, targetTags: ['app'], sourceRanges: ['10.30.1.0/24'], allowed: [{ IPProtocol: 'tcp', ports: ['8080'] }] } }), 'global');

// What both machines share: an instance template.
const [images] = await new ImagesClient(options).list({ project });
const image = images.find((i) => i.name.startsWith('centos'));
await done(templates.insert({
  project,
  instanceTemplateResource: {
    name: 'walkthrough',
    properties: {
      machineType: 'small-instance', labels: { stack: 'walkthrough' },
      disks: [{ boot: true, autoDelete: true, initializeParams: { sourceImage: image.selfLink } }],
      networkInterfaces: [{ network }],
    },
  },
}), 'global');

// Two instances from the template, one in each subnetwork, tagged for their firewall rules.
for (const tier of ['web', 'app']) {
  await done(instances.insert({
    project, zone, sourceInstanceTemplate: `projects/${project}/global/instanceTemplates/walkthrough`,
    instanceResource: { name: `${tier}-1`, tags: { items: [tier] }, networkInterfaces: [{ network, subnetwork: `projects/${project}/regions/${region}/subnetworks/${tier}` }] },
  }), 'zone');
}

// Check what was built, the way a user reads it back.
const [made] = await networks.get({ project, network: 'walkthrough' });
assert.equal(made.autoCreateSubnetworks, false);
assert.deepEqual(made.subnetworks.map((s) => s.split('/').pop()).sort(), ['app', 'web']);
for (const [tier, prefix] of [['web', '10.30.1.'], ['app', '10.30.2.']]) {
  const [vm] = await instances.get({ project, zone, instance: `${tier}-1` });
  assert.equal(vm.status, 'RUNNING');
  assert.equal(vm.networkInterfaces[0].subnetwork.split('/').pop(), tier);
  assert.ok(vm.networkInterfaces[0].networkIP.startsWith(prefix), `${vm.networkInterfaces[0].networkIP} is not in ${tier}`);
  assert.deepEqual(vm.tags.items, [tier]);
  assert.equal(vm.labels.stack, 'walkthrough');
  console.log(`instance ${vm.name} ${vm.status} ${vm.networkInterfaces[0].networkIP} in ${tier}`);
}
const rules = (await firewalls.list({ project }))[0].filter((r) => r.name.startsWith('walkthrough-allow-'));
assert.deepEqual(rules.map((r) => [r.name, r.network.split('/').pop(), r.targetTags.join()]).sort(), [['walkthrough-allow-app', 'walkthrough', 'app'], ['walkthrough-allow-https', 'walkthrough', 'web']]);
console.log(`network walkthrough in ${region}: subnetworks web, app; firewalls ${rules.map((r) => r.name).join(', ')}`);

if (process.env.KEEP !== '1') {
  for (const tier of ['web', 'app']) await done(instances.delete({ project, zone, instance: `${tier}-1` }), 'zone');
  await done(templates.delete({ project, instanceTemplate: 'walkthrough' }), 'global');
  for (const name of ['walkthrough-allow-https', 'walkthrough-allow-app']) await done(firewalls.delete({ project, firewall: name }), 'global');
  for (const name of ['web', 'app']) await done(subnetworks.delete({ project, region, subnetwork: name }), 'region');
  await done(networks.delete({ project, network: 'walkthrough' }), 'global');
  console.log('removed');
}
for (const c of [networks, subnetworks, firewalls, templates, instances, globalOps, regionOps, zoneOps]) await c.close();
