/**
 * Compute Engine errors: `{error: {code, message, errors: [{domain, reason, message}], status}}`.
 * Every failure the front reports goes through here: request errors (GceError), CloudStack answers
 * to a synchronous command (fromCloudStack) and failed CloudStack jobs inside an Operation
 * (operationError). The tables are keyed by closed unions, so a new code breaks the build until
 * it is mapped.
 */
export type Reason =
  | 'badRequest'
  | 'parseError'
  | 'invalid'
  | 'required'
  | 'invalidParameter'
  | 'resourceNotReady'
  | 'resourceInUseByAnotherResource'
  | 'unsupportedOperation'
  | 'authError'
  | 'forbidden'
  | 'quotaExceeded'
  | 'notFound'
  | 'alreadyExists'
  | 'conditionNotMet'
  | 'rateLimitExceeded'
  | 'backendError'
  | 'resourceExhausted'
  | 'invalidResourceUsage';

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export class GceError extends Error {
  constructor(
    readonly code: number,
    readonly reason: Reason,
    message: string,
    /** Extra fields of the errors[0] entry (location, locationType for auth errors). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ message: this.message, domain: 'global', reason: this.reason, ...this.extra }],
        status: STATUS_TEXT[this.code] ?? 'UNKNOWN',
      },
    };
  }
}

export const notFound = (resource: string) => new GceError(404, 'notFound', `The resource '${resource}' was not found`);
export const alreadyExists = (resource: string) =>
  new GceError(409, 'alreadyExists', `The resource '${resource}' already exists`);
export const invalidField = (field: string, value: unknown, why: string) =>
  new GceError(
    400,
    'invalid',
    `Invalid value for field '${field}': '${typeof value === 'string' ? value : JSON.stringify(value)}'. ${why}`,
  );
export const required = (field: string) => new GceError(400, 'required', `Required field '${field}' not specified`);
export const badRequest = (message: string) => new GceError(400, 'badRequest', message);
export const invalidParameter = (name: string, value: string, why = '') =>
  new GceError(400, 'invalidParameter', `Invalid value for ${name}: ${value}${why ? `. ${why}` : ''}`);
export const unsupported = (what: string) =>
  new GceError(400, 'unsupportedOperation', `${what} is not supported by polystack (see GAPS.md of its GCE front).`);
export const conditionNotMet = (what: string) =>
  new GceError(412, 'conditionNotMet', `Supplied fingerprint does not match current ${what} fingerprint.`);
export const notReady = (resource: string) =>
  new GceError(400, 'resourceNotReady', `The resource '${resource}' is not ready`);
export const forbidden = (permission: string, resource: string) =>
  new GceError(403, 'forbidden', `Required '${permission}' permission for '${resource}'`);
export const loginRequired = () =>
  new GceError(
    401,
    'required',
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    {
      location: 'Authorization',
      locationType: 'header',
    },
  );
export const invalidCredentials = () =>
  new GceError(
    401,
    'authError',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    {
      location: 'Authorization',
      locationType: 'header',
    },
  );
export const inUse = (resource: string, user: string) =>
  new GceError(
    400,
    'resourceInUseByAnotherResource',
    `The disk resource '${resource}' is already being used by '${user}'`,
  );
/** Google's refusal of a method the resource's state does not allow ("Invalid resource usage: '...'."). */
export const invalidUsage = (why: string) =>
  new GceError(400, 'invalidResourceUsage', `Invalid resource usage: '${why}'.`);
export const payloadTooLarge = (limit: number) =>
  new GceError(400, 'badRequest', `Request payload size exceeds the limit: ${limit} bytes.`);
export const rateLimited = () => new GceError(429, 'rateLimitExceeded', 'Rate Limit Exceeded');
export const internal = () =>
  new GceError(500, 'backendError', 'Internal error. Please try again or contact Google Support.');

/** Whether a lookup finds its resource (a 404 is an answer, any other error is thrown). */
export async function found(lookup: Promise<unknown>): Promise<boolean> {
  try {
    await lookup;
    return true;
  } catch (e) {
    if (e instanceof GceError && e.code === 404) return false;
    throw e;
  }
}

/** The error codes CloudStack answers with (ApiErrorCode), plus 401 for credentials. */
type CsCode = 401 | 430 | 431 | 432 | 530 | 531 | 532 | 533 | 534 | 535 | 536 | 537;

export const GCE_FROM_CLOUDSTACK: Record<CsCode, { code: number; reason: Reason }> = {
  401: { code: 401, reason: 'authError' },
  430: { code: 400, reason: 'invalid' },
  431: { code: 400, reason: 'invalid' },
  432: { code: 400, reason: 'unsupportedOperation' },
  530: { code: 500, reason: 'backendError' },
  531: { code: 403, reason: 'forbidden' },
  532: { code: 403, reason: 'quotaExceeded' },
  533: { code: 503, reason: 'resourceExhausted' },
  534: { code: 503, reason: 'backendError' },
  // Polystack answers 535 for an account or domain resource limit only: the caller's quota, not the zone's.
  535: { code: 403, reason: 'quotaExceeded' },
  536: { code: 400, reason: 'resourceInUseByAnotherResource' },
  537: { code: 409, reason: 'alreadyExists' },
};

/** A CloudStack error answer to a synchronous command, as Compute Engine would report it. */
export function fromCloudStack(status: number, text: string): GceError {
  // API_LIMIT_EXCEED from a CloudStack behind the gateway.
  if (status === 429) return rateLimited();
  const m = GCE_FROM_CLOUDSTACK[status as CsCode];
  if (!m) return internal();
  // CloudStack's own 530 text can leak internals; Google's backendError says nothing either.
  return new GceError(m.code, m.reason, m.code >= 500 ? internal().message : text);
}

/** Operation.error codes for a failed CloudStack job, with the HTTP status GCE records beside them. */
export const GCE_OPERATION_ERRORS: Record<CsCode, { code: string; http: number; httpMessage: string }> = {
  401: { code: 'PERMISSIONS_ERROR', http: 403, httpMessage: 'FORBIDDEN' },
  430: { code: 'INVALID_FIELD_VALUE', http: 400, httpMessage: 'BAD REQUEST' },
  431: { code: 'INVALID_FIELD_VALUE', http: 400, httpMessage: 'BAD REQUEST' },
  432: { code: 'UNSUPPORTED_OPERATION', http: 400, httpMessage: 'BAD REQUEST' },
  530: { code: 'INTERNAL_ERROR', http: 500, httpMessage: 'INTERNAL SERVER ERROR' },
  531: { code: 'PERMISSIONS_ERROR', http: 403, httpMessage: 'FORBIDDEN' },
  532: { code: 'QUOTA_EXCEEDED', http: 403, httpMessage: 'FORBIDDEN' },
  533: { code: 'ZONE_RESOURCE_POOL_EXHAUSTED', http: 503, httpMessage: 'SERVICE UNAVAILABLE' },
  534: { code: 'ZONE_RESOURCE_POOL_EXHAUSTED', http: 503, httpMessage: 'SERVICE UNAVAILABLE' },
  535: { code: 'QUOTA_EXCEEDED', http: 403, httpMessage: 'FORBIDDEN' },
  536: { code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', http: 400, httpMessage: 'BAD REQUEST' },
  537: { code: 'RESOURCE_ALREADY_EXISTS', http: 409, httpMessage: 'CONFLICT' },
};

export interface OperationError {
  errors: { code: string; message: string }[];
  http: number;
  httpMessage: string;
}

export function operationError(csCode: number, text: string): OperationError {
  const m = GCE_OPERATION_ERRORS[csCode as CsCode] ?? GCE_OPERATION_ERRORS[530];
  return { errors: [{ code: m.code, message: text }], http: m.http, httpMessage: m.httpMessage };
}
