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

export const EC2_ERROR_STATUS: Record<string, number> = {
  AuthFailure: 401,
  MissingAuthenticationToken: 401,
  UnauthorizedOperation: 403,
  DryRunOperation: 412,
  InsufficientInstanceCapacity: 500,
  InsufficientAddressCapacity: 500,
  InternalError: 500,
  RequestLimitExceeded: 503,
  Unavailable: 503,
};

export const ec2Error = (code: string, message: string): Ec2Error => new Ec2Error(code, message, EC2_ERROR_STATUS[code] ?? 400);
