/** An EC2 error: its code, message and the HTTP status AWS answers it with. */
export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Statuses other than 400, as EC2 answers them on the wire: AuthFailure 401 (client reports show
 * "Status Code: 401; Error Code: AuthFailure"), SignatureDoesNotMatch 403 ("403 Forbidden"), and
 * MissingAuthenticationToken 403 (AWS's common errors); IncompleteSignature and RequestExpired are 400.
 */
export const EC2_ERROR_STATUS: Record<string, number> = {
  AuthFailure: 401,
  MissingAuthenticationToken: 403,
  SignatureDoesNotMatch: 403,
  UnauthorizedOperation: 403,
  DryRunOperation: 412,
  InsufficientInstanceCapacity: 500,
  InsufficientAddressCapacity: 500,
  InternalError: 500,
  RequestLimitExceeded: 503,
  Unavailable: 503,
};

export const ec2Error = (code: string, message: string): Ec2Error =>
  new Ec2Error(code, message, EC2_ERROR_STATUS[code] ?? 400);
