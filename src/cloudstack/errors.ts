import { DomainError, type ErrorCode } from '../domain/errors.js';

/**
 * A CloudStack error as the management server sends it: HTTP status = errorcode, plus the
 * CSExceptionErrorCode of the Java exception it would have come from.
 */
export class CsError extends Error {
  constructor(
    readonly errorcode: number,
    readonly errortext: string,
    readonly cserrorcode?: number,
    readonly uuids: { uuid: string; description?: string }[] = [],
  ) {
    super(errortext);
  }
}

export const BAD_CREDENTIALS = 'unable to verify user credentials and/or request signature';

export const csErrors = {
  credentials: () => new CsError(401, BAD_CREDENTIALS),
  session: () => new CsError(401, 'unable to verify user credentials'),
  missingParam: (cmd: string, name: string) =>
    new CsError(431, `Unable to execute API command ${cmd.toLowerCase()} due to missing parameter ${name}`, 9999),
  invalidValue: (cmd: string, name: string, value: string) =>
    new CsError(
      431,
      `Unable to execute API command ${cmd.toLowerCase()} due to invalid value ${value} for parameter ${name}`,
      9999,
    ),
  badId: (cmd: string, name: string, value: string) =>
    new CsError(
      431,
      `Unable to execute API command ${cmd.toLowerCase()} due to invalid value. Invalid parameter ${name} value=${value} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
      9999,
    ),
  // A bare ServerApiException wrapping only the message: cserrorcode 9999, like the other parameter errors.
  tooLong: (cmd: string, name: string, max: number) =>
    new CsError(
      431,
      `Unable to execute API command ${cmd.toLowerCase()} due to invalid value. Value greater than max allowed length ${max} for param: ${name}`,
      9999,
    ),
  badDate: (cmd: string, value: string) =>
    new CsError(
      431,
      `Unable to parse date ${value} for command ${cmd.toLowerCase()}, please pass dates in the format mentioned in the api documentation`,
      9999,
    ),
  malformed: (name: string) =>
    new CsError(
      430,
      `Unable to decode parameter ${name}; if specifying an object array, please use parameter[index].field=XXX, e.g. userGroupList[0].group=httpGroup`,
      9999,
    ),
  nonPrintable: (name: string) =>
    new CsError(431, `Received value containing illegal ASCII non-printable characters for parameter ${name}`, 9999),
  param: (text: string) => new CsError(431, text, 4350),
  // RequestLimitException becomes a bare ServerApiException(API_LIMIT_EXCEED): HTTP 429, cserrorcode 9999.
  apiLimit: (retryAfterMs: number) =>
    new CsError(
      429,
      `The given user has reached his/her account api limit, please retry after [${retryAfterMs}] ms.`,
      9999,
    ),
  internal: () => new CsError(530, 'Internal error executing command, please contact your system administrator', 4250),
};

/** Every domain error code maps to exactly one status and cserrorcode; the compiler checks the table is complete. */
export const DOMAIN_ERRORS: Record<ErrorCode, [status: number, cs: number]> = {
  NotFound: [431, 4350],
  AlreadyExists: [431, 4350],
  InvalidState: [431, 4350],
  InvalidParameter: [431, 4350],
  InsufficientCapacity: [533, 4325],
  LimitExceeded: [535, 4370],
  // ApiServer turns AccountLimitException into ACCOUNT_RESOURCE_LIMIT_ERROR.
  AccountLimit: [532, 4280],
  Unauthorized: [401, 4290],
  Forbidden: [531, 4365],
  Conflict: [537, 4360],
  Unsupported: [431, 4390],
  AgentFailure: [530, 4250],
  Internal: [530, 4250],
  OperationFailed: [530, 4250],
  // Commands wrap ResourceInUseException in ServerApiException(RESOURCE_IN_USE_ERROR), whose cserrorcode is 9999.
  InUse: [536, 9999],
};

const CAPACITY_CS: Record<string, number> = { server: 4335, storage: 4340, address: 4320, network: 4330 };

export function fromDomainError(e: DomainError, cmd: string): CsError {
  const d = e.details;
  if (e.code === 'NotFound' && d.param && d.id !== undefined) return csErrors.badId(cmd, d.param, d.id);
  const [status, cs] = DOMAIN_ERRORS[e.code];
  const csCode = e.code === 'InsufficientCapacity' && d.capacity ? CAPACITY_CS[d.capacity]! : cs;
  return new CsError(status, e.message, csCode);
}

export function toCsError(e: unknown, cmd: string): CsError | undefined {
  if (e instanceof CsError) return e;
  if (e instanceof DomainError) return fromDomainError(e, cmd);
  return undefined;
}
