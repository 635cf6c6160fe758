import { invalid } from '../../domain/errors.js';
import { ROLE_TYPES } from '../../domain/organisation.js';
import type { Services } from '../../services/services.js';
import { job, list, object, type CommandDef } from '../command.js';
import type { ResultRenderer } from '../views/job.view.js';
import { cmdOf } from './networking.common.js';
import { paging, slice } from './common.js';

/** Comma-separated lists as IssueCertificateCmd.processList reads them: trimmed, empty ones kept out. */
const commaList = (s: string | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The CA framework's commands (CAManagerImpl.getCommands). */
export const caCommands: CommandDef[] = [
  {
    name: 'listCAProviders',
    admin: true,
    async handle({ services, params: p }) {
      const all = services.ca.providers(p.str('name'));
      return list('caprovider', slice(all, paging(p, services)), all.length);
    },
  },
  {
    name: 'listCaCertificate',
    // The CA certificate is what every agent and client trusts: ListCaCertificateCmd admits all role types.
    authorized: ROLE_TYPES,
    annotated: ROLE_TYPES,
    async handle({ services, params: p }) {
      return object('cacertificates', { certificate: await services.ca.caCertificate(p.str('provider')) });
    },
  },
  {
    name: 'issueCertificate',
    admin: true,
    async handle(ctx) {
      const p = ctx.params;
      const csr = p.str('csr');
      const domains = commaList(p.str('domain'));
      // IssueCertificateCmd.execute refuses before a job is made.
      if (!csr && domains.length === 0)
        throw invalid('Please provide the domains or the CSR, none of them are provided', 'domain');
      return job(
        await ctx.services.ca.submit(ctx.caller, cmdOf(ctx), 'issue', {
          csr,
          domains,
          addresses: commaList(p.str('ipaddress')),
          days: p.int('duration'),
          provider: p.str('provider'),
        }),
      );
    },
  },
  {
    name: 'revokeCertificate',
    admin: true,
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.ca.submit(ctx.caller, cmdOf(ctx), 'revoke', {
          serial: p.req('serial'),
          cn: p.str('cn'),
          provider: p.str('provider'),
        }),
      );
    },
  },
  {
    name: 'provisionCertificate',
    admin: true,
    async handle(ctx) {
      const p = ctx.params;
      const hostId = p.req('hostid');
      return job(
        await ctx.services.ca.submit(
          ctx.caller,
          cmdOf(ctx),
          'provision',
          { hostId, reconnect: p.bool('reconnect', false), provider: p.str('provider') },
          { type: 'Host', id: hostId },
        ),
      );
    },
  },
];

/** issueCertificate's answer: the certificate, its key when the CA made it, and the CA chain (CertificateResponse). */
export function caRenderers(s: Services): Record<string, ResultRenderer> {
  return {
    Certificate: async (_lk, id) => {
      const c = await s.ca.answer(id);
      if (!c) return undefined;
      return [
        'certificates',
        {
          certificate: c.certificate,
          ...(c.privateKey ? { privatekey: c.privateKey } : {}),
          cacertificates: c.caCertificates,
        },
      ];
    },
  };
}
