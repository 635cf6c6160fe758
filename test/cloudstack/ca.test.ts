import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { tenant } from '../helpers/networking.js';

// A PKCS#10 request (CN=v-1-VM, 512-bit RSA) of the kind an agent's keystore setup sends.
const CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIIBHjCByQIBADBkMQswCQYDVQQGEwJJTjELMAkGA1UECAwCSFIxETAPBgNVBAcM
CEd1cnVncmFtMQ8wDQYDVQQKDAZBcGFjaGUxEzARBgNVBAsMCkNsb3VkU3RhY2sx
DzANBgNVBAMMBnYtMS1WTTBcMA0GCSqGSIb3DQEBAQUAA0sAMEgCQQD46KFWKYrJ
F43Y1oqWUfrl4mj4Qm05Bgsi6nuigZv7ufiAKK0nO4iJKdRa2hFMUvBi2/bU3IyY
Nvg7cdJsn4K9AgMBAAGgADANBgkqhkiG9w0BAQUFAANBAIta9glu/ZSjA/ncyXix
yDOyAKmXXxsRIsdrEuIzakUuJS7C8IG0FjUbDyIaiwWQa5x+Lt4oMqCmpNqRzaGP
fOo=
-----END CERTIFICATE REQUEST-----`;

/** The CA framework with RootCAProvider: a CA every client can trust, certificates it signs, a CRL, hosts' agents. */
describe('CA framework (listCAProviders, listCaCertificate, issue, revoke, provision)', () => {
  let w: World;
  let admin: Api;
  let ca: X509Certificate;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it('lists the root provider and its self-signed CA certificate, the same on every call', async () => {
    const providers = await admin('listCAProviders', {});
    assert.deepEqual(providers.body, {
      count: 1,
      caprovider: [{ name: 'root', description: "CloudStack's Root CA provider plugin" }],
    });
    const r = await admin('listCaCertificate', { provider: 'root' });
    assert.deepEqual(Object.keys(r.body), ['cacertificates']);
    ca = new X509Certificate(r.body.cacertificates.certificate);
    assert.equal(ca.subject, 'CN=ca.cloudstack.apache.org');
    assert.equal(ca.issuer, ca.subject);
    assert.ok(ca.ca);
    assert.ok(ca.verify(ca.publicKey), 'self-signed');
    assert.equal(
      (await admin('listCaCertificate', {})).body.cacertificates.certificate,
      r.body.cacertificates.certificate,
    );
  });

  it('issues a certificate for names and addresses with a new key pair, signed SHA256withRSA by the CA', async () => {
    const r = await runJob(w, admin, 'issueCertificate', {
      domain: 'apache.org,cloudstack.apache.org',
      ipaddress: '10.1.1.1,10.2.2.2',
      provider: 'root',
    });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    const c = r.jobresult.certificates;
    const cert = new X509Certificate(c.certificate);
    assert.equal(cert.subject, 'CN=apache.org');
    assert.equal(cert.issuer, 'CN=ca.cloudstack.apache.org');
    assert.equal(
      cert.subjectAltName,
      'DNS:apache.org, DNS:cloudstack.apache.org, IP Address:10.1.1.1, IP Address:10.2.2.2',
    );
    assert.ok(cert.verify(ca.publicKey), 'signed by the CA');
    assert.equal(c.cacertificates, ca.toString());
    // The key returned is the certificate's.
    assert.equal(
      createPublicKey(createPrivateKey(c.privatekey)).export({ type: 'spki', format: 'pem' }),
      cert.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    assert.equal(Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000), 365);
  });

  it('issues a certificate for a CSR: its subject and key, no private key in the answer', async () => {
    const r = await runJob(w, admin, 'issueCertificate', { csr: CSR, duration: 10 });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    const c = r.jobresult.certificates;
    assert.ok(!('privatekey' in c));
    const cert = new X509Certificate(c.certificate);
    assert.match(cert.subject, /(^|\n)CN=v-1-VM$/m);
    assert.ok(cert.verify(ca.publicKey));
    assert.equal(Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000), 10);
  });

  it('refuses what CloudStack refuses: nothing to certify, an unknown provider, a bad CSR, a non-hex serial', async () => {
    const none = await admin('issueCertificate', {});
    assert.equal(none.status, 431);
    assert.equal(none.body.errortext, 'Please provide the domains or the CSR, none of them are provided');
    const unknown = await runJob(w, admin, 'issueCertificate', { domain: 'x.org', provider: 'nope' });
    assert.equal(unknown.jobstatus, 2);
    assert.equal(unknown.jobresult.errortext, "CA provider plugin 'nope' not found");
    assert.equal((await runJob(w, admin, 'issueCertificate', { csr: 'not a csr' })).jobstatus, 2);
    const serial = await runJob(w, admin, 'revokeCertificate', { serial: 'xyz' });
    assert.equal(serial.jobstatus, 2);
  });

  it('revokes a serial onto the CRL, once', async () => {
    const r = await runJob(w, admin, 'revokeCertificate', { serial: 'abc123', cn: 'example.com', provider: 'root' });
    assert.deepEqual(r.jobresult, { success: true });
    assert.ok(await w.s.ca.isRevoked('ABC123'));
    assert.ok(!(await w.s.ca.isRevoked('abc124')));
    assert.deepEqual((await runJob(w, admin, 'revokeCertificate', { serial: 'abc123' })).jobresult, { success: true });
  });

  it("provisions a system VM host's agent; reconnecting leaves the simulated agent disconnected", async () => {
    const hosts = (await admin('listHosts', { type: 'SecondaryStorageVM', state: 'Up' })).body.host ?? [];
    assert.ok(hosts.length > 0, 'the seeded zones run a secondary storage VM');
    const r = await runJob(w, admin, 'provisionCertificate', {
      hostid: hosts[0].id,
      reconnect: true,
      provider: 'root',
    });
    assert.deepEqual(r.jobresult, { success: true });
    assert.equal((await admin('listHosts', { id: hosts[0].id, state: 'Up' })).body.count ?? 0, 0);
    assert.equal((await admin('listHosts', { id: hosts[0].id })).body.host[0].state, 'Disconnected');
  });

  it('is for admins; the CA certificate is for everyone', async () => {
    const user = await tenant(w, admin, 'ca-user');
    assert.equal((await user('listCaCertificate', {})).status, 200);
    for (const cmd of ['listCAProviders', 'issueCertificate'])
      assert.equal((await user(cmd, { domain: 'x.org' })).status, 432, cmd);
  });
});
