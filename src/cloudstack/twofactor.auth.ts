import type { Services } from '../services/services.js';
import { headerText } from '../http/headers.js';
import { TwoFactorCodeInvalid } from '../services/identity/twofactor.providers.js';
import type { ApiReply, ApiRequest } from './exchange.js';
import { errorBody, resultBody } from './encode.js';
import { success } from './command.js';
import { CsError } from './errors.js';

type Reply = (status: number, body: Record<string, unknown>) => ApiReply;

/** ApiErrorCode.UNAUTHORIZED2FA, and CSExceptionErrorCode's number for CloudTwoFactorAuthenticationException. */
const UNAUTHORIZED_2FA = 411;
const TWO_FACTOR_EXCEPTION = 4295;

const find = (req: ApiRequest, name: string): string | undefined =>
  req.pairs.find(([k]) => k.toLowerCase() === name)?.[1];

/**
 * ApiServlet's two-factor step, taken for a request that arrives in a live session before the
 * session key or anything else is checked: validateUserTwoFactorAuthenticationCode is answered
 * here; other commands are refused while the session's code is due. Undefined: carry on.
 */
export async function twoFactorGate(
  services: Services,
  req: ApiRequest,
  command: string,
  reply: Reply,
): Promise<ApiReply | undefined> {
  const sessionId = req.cookies['JSESSIONID']?.split('.')[0];
  if (!sessionId) return undefined;
  const gate = await services.twoFactor.gate(sessionId, command);
  if (gate.kind === 'pass') return undefined;
  const fail = (e: CsError) => ({
    ...reply(e.errorcode, errorBody(e)),
    headers: { 'X-Description': headerText(e.errortext) },
  });
  if (gate.kind === 'refused')
    return fail(new CsError(UNAUTHORIZED_2FA, `Unable to process the API request due to :${gate.message}`));
  const code = find(req, 'codefor2fa');
  if (!code) return fail(new CsError(531, 'Code for two factor authentication is required', 9999));
  try {
    await services.twoFactor.validate(sessionId, gate.userId, code);
    return reply(200, resultBody(success()));
  } catch (e) {
    if (!(e instanceof TwoFactorCodeInvalid)) throw e;
    // The authenticator serializes its error, and the servlet wraps that text in a second error of the same code.
    const inner = reply(UNAUTHORIZED_2FA, errorBody(new CsError(UNAUTHORIZED_2FA, e.message))).body;
    return fail(new CsError(UNAUTHORIZED_2FA, inner, TWO_FACTOR_EXCEPTION));
  }
}
