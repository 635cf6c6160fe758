import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { startServer, type TestServer } from '../helpers/server.js';
import { sigv4 } from '../helpers/ec2-sign.js';

describe('EC2 wire format and errors', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.stop());

  const post = async (params: Record<string, string>, opts: { secret?: string; when?: Date } = {}) => {
    const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
    const r = await fetch(s.url + '/', {
      method: 'POST',
      headers: sigv4(new URL(s.url), body, s.apiKey, opts.secret ?? s.secretKey, opts.when),
      body,
    });
    return {
      status: r.status,
      type: r.headers.get('content-type'),
      requestId: r.headers.get('x-amzn-requestid'),
      xml: new XMLParser().parse(await r.text()),
      raw: '',
    };
  };
  const error = (x: any) => x.Response?.Errors?.Error;

  it('answers with the namespace, requestId and item lists', async () => {
    const r = await post({ Action: 'DescribeAvailabilityZones' });
    assert.equal(r.status, 200);
    assert.equal(r.type, 'text/xml;charset=UTF-8');
    const body = r.xml.DescribeAvailabilityZonesResponse;
    assert.equal(body.requestId, r.requestId);
    assert.equal(body.availabilityZoneInfo.item.length, 2);
    const raw = await fetch(s.url + '/', {
      method: 'POST',
      headers: sigv4(new URL(s.url), 'Action=DescribeRegions&Version=2016-11-15', s.apiKey, s.secretKey),
      body: 'Action=DescribeRegions&Version=2016-11-15',
    });
    assert.match(await raw.text(), /<DescribeRegionsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/">/);
  });

  it('errors: Response/Errors/Error with Code then Message, and RequestID', async () => {
    const bad = await post({ Action: 'DescribeInstances', 'InstanceId.1': 'i-00000000000000000' });
    assert.equal(bad.status, 400);
    assert.equal(error(bad.xml).Code, 'InvalidInstanceID.NotFound');
    assert.equal(error(bad.xml).Message, "The instance ID 'i-00000000000000000' does not exist");
    assert.ok(bad.xml.Response.RequestID);
    assert.equal(
      error((await post({ Action: 'DescribeInstances', 'InstanceId.1': 'web-1' })).xml).Code,
      'InvalidInstanceID.Malformed',
    );
    assert.equal(error((await post({ Action: 'LaunchRockets' })).xml).Code, 'InvalidAction');
    const signature = await post({ Action: 'DescribeRegions' }, { secret: 'wrong' });
    assert.equal(signature.status, 403);
    assert.equal(error(signature.xml).Code, 'SignatureDoesNotMatch');
    const late = await post({ Action: 'DescribeRegions' }, { when: new Date(Date.now() - 3_600_000) });
    assert.equal(error(late.xml).Code, 'RequestExpired');
    const dry = await post({ Action: 'DescribeRegions', DryRun: 'true' });
    assert.equal(dry.status, 412);
    assert.equal(error(dry.xml).Code, 'DryRunOperation');
    const missing = await post({ Action: 'CreateKeyPair' });
    assert.equal(error(missing.xml).Code, 'MissingParameter');
    // Without an id the front once took the first address there was (found by the fuzzer).
    assert.equal(error((await post({ Action: 'DisassociateAddress' })).xml).Code, 'MissingParameter');
    assert.equal(
      error((await post({ Action: 'AssociateAddress', InstanceId: 'i-00000000000000000' })).xml).Code,
      'MissingParameter',
    );
    // A list item with no field the model knows was a hole in the list, and a 500 (found by the fuzzer).
    const holey = await post({ Action: 'DescribeKeyPairs', 'Filter.1.Value.x': 'a', 'Filter.1.Value.2': 'b' });
    assert.deepEqual([holey.status, error(holey.xml).Code], [400, 'InvalidParameterValue']);
    // Names looked up in plain objects once reached Object.prototype: Action=constructor ran Object() and answered 200.
    for (const action of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      assert.equal(error((await post({ Action: action })).xml).Code, 'InvalidAction', action);
    const proto = await post({
      Action: 'DescribeInstances',
      'Filter.1.Name': 'hasOwnProperty',
      'Filter.1.Value.1': 'x',
    });
    assert.deepEqual([proto.status, error(proto.xml).Code], [400, 'InvalidParameterValue']);
    const version = await post({ Action: 'DescribeRegions', Version: '2030-01-01' });
    assert.equal(error(version.xml).Code, 'NoSuchVersion');
    const anonymous = await fetch(`${s.url}/?Action=DescribeRegions&Version=2016-11-15`);
    assert.equal(anonymous.status, 401);
    assert.equal(error(new XMLParser().parse(await anonymous.text())).Code, 'AuthFailure');
    const filter = await post({ Action: 'DescribeInstances', 'Filter.1.Name': 'flavour', 'Filter.1.Value.1': 'x' });
    assert.equal(error(filter.xml).Code, 'InvalidParameterValue');
  });

  it('SigV2 (libcloud, old boto) verifies too', async () => {
    const url = new URL(s.url);
    const params: Record<string, string> = {
      Action: 'DescribeRegions',
      Version: '2016-11-15',
      AWSAccessKeyId: s.apiKey,
      SignatureVersion: '2',
      SignatureMethod: 'HmacSHA256',
      Timestamp: new Date().toISOString().replace(/\.\d{3}/, ''),
    };
    const enc = (v: string) =>
      encodeURIComponent(v).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    const canon = Object.keys(params)
      .sort()
      .map((k) => `${enc(k)}=${enc(params[k]!)}`)
      .join('&');
    const sig = createHmac('sha256', s.secretKey).update(`GET\n${url.host}\n/\n${canon}`).digest('base64');
    const r = await fetch(`${s.url}/?${canon}&Signature=${enc(sig)}`);
    assert.equal(r.status, 200);
    const tampered = await fetch(
      `${s.url}/?${canon.replace('DescribeRegions', 'DescribeImages')}&Signature=${enc(sig)}`,
    );
    assert.equal(tampered.status, 403);
  });

  it('RunInstances with the same ClientToken returns the same reservation; different parameters are a mismatch', async () => {
    const image = (await post({ Action: 'DescribeImages', 'Filter.1.Name': 'name', 'Filter.1.Value.1': 'CentOS*' })).xml
      .DescribeImagesResponse.imagesSet.item.imageId;
    const base = { Action: 'RunInstances', ImageId: image, MinCount: '1', MaxCount: '1', ClientToken: 'token-1' };
    const a = await post(base);
    const b = await post(base);
    assert.equal(a.xml.RunInstancesResponse.reservationId, b.xml.RunInstancesResponse.reservationId);
    assert.equal(
      a.xml.RunInstancesResponse.instancesSet.item.instanceId,
      b.xml.RunInstancesResponse.instancesSet.item.instanceId,
    );
    const c = await post({ ...base, InstanceType: 't2.small' });
    assert.equal(error(c.xml).Code, 'IdempotentParameterMismatch');
  });
  it('volumes and snapshots: wire names, and the error codes AWS gives for each mistake', async () => {
    const created = await post({ Action: 'CreateVolume', AvailabilityZone: 'Sandbox-simulator-basic', Size: '1' });
    assert.equal(created.status, 200);
    const v = created.xml.CreateVolumeResponse;
    assert.match(v.volumeId, /^vol-[0-9a-f]{17}$/);
    assert.equal(v.status, 'creating');
    assert.equal(v.size, 1);
    const listed = (await post({ Action: 'DescribeVolumes', 'VolumeId.1': v.volumeId })).xml.DescribeVolumesResponse;
    assert.equal(listed.volumeSet.item.volumeId, v.volumeId);
    assert.equal(listed.volumeSet.item.status, 'available');
    assert.equal(listed.volumeSet.item.attachmentSet, '', 'an empty list is an empty element');
    const code = async (params: Record<string, string>) => error((await post(params)).xml)?.Code;
    assert.equal(
      await code({ Action: 'DescribeVolumes', 'VolumeId.1': 'vol-00000000000000000' }),
      'InvalidVolume.NotFound',
    );
    assert.equal(await code({ Action: 'DescribeVolumes', 'VolumeId.1': 'disk-1' }), 'InvalidVolumeID.Malformed');
    assert.equal(await code({ Action: 'CreateVolume', Size: '1' }), 'MissingParameter');
    assert.equal(
      await code({ Action: 'CreateVolume', AvailabilityZone: 'Sandbox-simulator-basic' }),
      'MissingParameter',
    );
    assert.equal(
      await code({
        Action: 'CreateVolume',
        AvailabilityZone: 'Sandbox-simulator-basic',
        Size: '1',
        VolumeType: 'fast',
      }),
      'InvalidParameterValue',
    );
    assert.equal(await code({ Action: 'DetachVolume', VolumeId: v.volumeId }), 'IncorrectState');
    assert.equal(await code({ Action: 'ModifyVolume', VolumeId: v.volumeId, Size: '0' }), 'InvalidParameterValue');
    // A volume never attached was never written to primary storage: nothing to snapshot yet.
    assert.equal(await code({ Action: 'CreateSnapshot', VolumeId: v.volumeId }), 'IncorrectState');
    assert.equal(
      await code({ Action: 'DescribeSnapshots', 'SnapshotId.1': 'snap-00000000000000000' }),
      'InvalidSnapshot.NotFound',
    );
    assert.equal(await code({ Action: 'DeleteSnapshot', SnapshotId: 'snap-1' }), 'InvalidSnapshotID.Malformed');
    assert.equal(
      await code({
        Action: 'AttachVolume',
        VolumeId: v.volumeId,
        InstanceId: 'i-00000000000000000',
        Device: '/dev/sdf',
      }),
      'InvalidInstanceID.NotFound',
    );
    assert.equal(
      await code({ Action: 'DescribeImageAttribute', ImageId: 'ami-00000000000000000', Attribute: 'description' }),
      'InvalidAMIID.NotFound',
    );
    assert.equal((await post({ Action: 'DeleteVolume', VolumeId: v.volumeId })).status, 200);
    assert.equal(await code({ Action: 'DeleteVolume', VolumeId: v.volumeId }), 'InvalidVolume.NotFound');
  });
});
