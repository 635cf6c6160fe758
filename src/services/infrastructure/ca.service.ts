import type { Clock } from '../../domain/clock.js';
import type { CaIssued, CaRoot } from '../../domain/ca.js';
import { invalid, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Host } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import { caStore } from '../../store/ca.store.js';
import type { Store } from '../../store/db.js';
import { hostStore, hostRows } from '../../store/host.store.js';
import type * as Certs from './ca.certs.js';

// The certificate code (node-forge, ~600 KB) is loaded by the first command that makes one, not at start.
const certs = (): Promise<typeof Certs> => import('./ca.certs.js');
import type { ConfigService } from './config.service.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

export const CA_JOBS = { issue: 'ca.issue', revoke: 'ca.revoke', provision: 'ca.provision' } as const;

/** The providers there are (CAManagerImpl's plugin map): RootCAProvider only, as in a stock CloudStack. */
export const CA_PROVIDERS = [{ name: 'root', description: "CloudStack's Root CA provider plugin" }] as const;

/** A root CA's own validity (RootCAProvider makes it once, for years). */
const ROOT_DAYS = 3 * 365;

export interface IssueParams {
  csr?: string;
  domains: string[];
  addresses: string[];
  days?: number;
  provider?: string;
}

/**
 * CAManagerImpl with RootCAProvider: a root CA made on first use, certificates issued for given names
 * and addresses (the key pair made here) or for a CSR, serials revoked into a CRL, and certificates
 * provisioned to hosts' agents.
 */
export class CaService {
  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
    private jobs: JobEngine,
    private agent: SimulatedAgent,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<IssueParams>(CA_JOBS.issue, ({ caller, params }) => this.issue(caller, params));
    jobs.register<{ serial: string; cn?: string; provider?: string }>(CA_JOBS.revoke, ({ caller, params }) =>
      this.revoke(caller, params),
    );
    jobs.register<{ hostId: string; reconnect: boolean; provider?: string }>(CA_JOBS.provision, ({ caller, params }) =>
      this.provision(caller, params),
    );
  }

  async submit(
    caller: Caller,
    cmd: string,
    kind: keyof typeof CA_JOBS,
    params: object,
    instance?: { type: string; id: string },
  ): Promise<string> {
    const jobId = await this.store.tx((trx) =>
      this.jobs.submit(trx, caller, {
        cmd,
        kind: CA_JOBS[kind],
        params,
        instanceType: instance?.type,
        instanceId: instance?.id,
      }),
    );
    this.jobs.kick();
    return jobId;
  }

  providers(name?: string): { name: string; description: string }[] {
    return CA_PROVIDERS.filter((p) => !name || p.name === name.toLowerCase());
  }

  /** The CA certificate chain of a provider, PEM (listCaCertificate). */
  async caCertificate(provider?: string): Promise<string> {
    return (await this.root(this.providerName(provider))).certificate;
  }

  /** A certificate made and kept for the job's answer; the job result names it. */
  private async issue(caller: Caller, p: IssueParams): Promise<JobResult> {
    if (!p.csr && p.domains.length === 0) throw invalid('No domains or CSR provided', 'domain');
    const root = await this.root(this.providerName(p.provider));
    const days = p.days ?? this.config.num('ca.framework.cert.validity.period', 365);
    const issued = this.make(await certs(), root, { ...p, days });
    await this.store.tx(async (trx) => {
      await caStore.saveIssued(trx, issued);
      await eventLog(trx, this.clock, {
        type: 'CA.CERTIFICATE.ISSUE',
        description: `Issuing certificate for domain(s)=${p.domains.join(',')}, ip(s)=${p.addresses.join(',')}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
      });
    });
    return { type: 'object', instanceType: 'Certificate', id: issued.id };
  }

  private make(
    { isIpLiteral, readCsr, rsaKeyPair, randomSerial, signCertificate, subjectOf }: typeof Certs,
    root: CaRoot,
    p: IssueParams & { days: number },
  ): CaIssued {
    const bad = p.addresses.find((a) => !isIpLiteral(a));
    if (bad) throw invalid(`Invalid IP address provided: ${bad}`, 'ipaddress');
    const fromCsr = p.csr ? readCsr(p.csr) : undefined;
    // RootCAProvider wraps the parser's failure in a CloudRuntimeException.
    if (p.csr && !fromCsr)
      throw runtimeFailure('Failed to generate certificate using CSR due to:not a PKCS#10 certificate request');
    const own = fromCsr ? undefined : rsaKeyPair(this.config.num('ca.framework.cert.keysize', 2048));
    const subject = fromCsr?.subject ?? [{ shortName: 'CN', value: p.domains[0]! }];
    const serial = randomSerial();
    const certificate = signCertificate({
      subject,
      publicKeyPem: fromCsr?.publicKeyPem ?? own!.publicKey,
      privateKeyPem: root.privateKey,
      issuer: { subject: subjectOf(root.certificate), privateKeyPem: root.privateKey },
      serial,
      notBefore: new Date(this.clock.now()),
      days: p.days,
      ca: false,
      domains: p.domains,
      addresses: p.addresses,
    });
    const cn = String(subject.find((a) => a.shortName === 'CN' || a.name === 'commonName')?.value ?? '');
    return {
      id: newId(),
      serial,
      cn,
      certificate,
      privateKey: own?.privateKey ?? null,
      caCertificates: root.certificate,
      created: this.clock.now(),
    };
  }

  /** What issueCertificate's job answers, while its row lasts. */
  answer(id: string): Promise<CaIssued | undefined> {
    return caStore.issued(this.store.db, id);
  }

  private async revoke(caller: Caller, p: { serial: string; cn?: string; provider?: string }): Promise<JobResult> {
    // RevokeCertificateCmd reads the serial as a hexadecimal BigInteger.
    if (!/^[0-9a-fA-F]+$/.test(p.serial))
      throw invalid('Certificate serial is not a valid hexadecimal number', 'serial');
    this.providerName(p.provider);
    const serial = BigInt(`0x${p.serial}`).toString(16);
    await this.store.tx(async (trx) => {
      if (!(await caStore.revoked(trx, serial)))
        await caStore.revoke(trx, { id: serial, cn: p.cn ?? null, created: this.clock.now() });
      await eventLog(trx, this.clock, {
        type: 'CA.CERTIFICATE.REVOKE',
        description: `cert serial: ${serial}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
      });
    });
    return { type: 'success' };
  }

  /** Whether a serial (hex) is on the CRL. */
  async isRevoked(serial: string): Promise<boolean> {
    return !!(await caStore.revoked(this.store.db, BigInt(`0x${serial}`).toString(16)));
  }

  /**
   * provisionCertificate: a KVM or simulator host's agent makes a key store and CSR; a system VM's agent
   * takes a key pair made here. With `reconnect` the agent drops its connection to load the new
   * certificate: the host is Disconnected, and a simulated agent does not dial back by itself.
   */
  private async provision(
    caller: Caller,
    p: { hostId: string; reconnect: boolean; provider?: string },
  ): Promise<JobResult> {
    const host = await hostStore.get(this.store.db, p.hostId);
    if (!host) throw runtimeFailure('Unable to find valid host to renew certificate for');
    const root = await this.root(this.providerName(p.provider));
    const systemVm = host.type === 'ConsoleProxy' || host.type === 'SecondaryStorageVM';
    if (!systemVm) await this.agent.send('SetupKeyStoreCommand', host);
    const issued = this.make(await certs(), root, {
      domains: [host.name, host.ipAddress],
      addresses: [host.ipAddress],
      days: this.config.num('ca.framework.cert.validity.period', 365),
    });
    await this.agent.send('SetupCertificateCommand', systemVm ? undefined : host);
    await this.store.tx(async (trx) => {
      await caStore.saveIssued(trx, issued);
      if (p.reconnect) await hostRows.update(trx, host.id, { state: 'Disconnected' } satisfies Partial<Host>);
      await eventLog(trx, this.clock, {
        type: 'CA.CERTIFICATE.PROVISION',
        description: `host id: ${host.id}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: host.id,
        resourceType: 'Host',
      });
    });
    return { type: 'success' };
  }

  /** CAManagerImpl.getCAProvider: the named provider, else the configured one. */
  private providerName(name?: string): string {
    const wanted = (name || this.config.get('ca.framework.provider.plugin') || 'root').toLowerCase();
    if (!CA_PROVIDERS.some((p) => p.name === wanted)) throw runtimeFailure(`CA provider plugin '${wanted}' not found`);
    return wanted;
  }

  /** The provider's root CA, made (and kept) on first use. */
  private async root(provider: string): Promise<CaRoot> {
    const found = await caStore.root(this.store.db, provider);
    if (found) return found;
    const { rsaKeyPair, parseDn, signCertificate, randomSerial } = await certs();
    const keys = rsaKeyPair(this.config.num('ca.framework.cert.keysize', 2048));
    const subject = parseDn(this.config.get('ca.plugin.root.issuer.dn') || 'CN=ca.cloudstack.apache.org');
    const certificate = signCertificate({
      subject,
      publicKeyPem: keys.publicKey,
      privateKeyPem: keys.privateKey,
      issuer: 'self',
      serial: randomSerial(),
      notBefore: new Date(this.clock.now()),
      days: ROOT_DAYS,
      ca: true,
    });
    await caStore.saveRoot(this.store.db, {
      id: provider,
      privateKey: keys.privateKey,
      certificate,
      created: this.clock.now(),
    });
    return (await caStore.root(this.store.db, provider))!;
  }
}
