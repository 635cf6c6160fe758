import { ec2Error } from '../errors.js';

/** MaxResults/NextToken over an already filtered list; the token is the next offset. */
export function page<T>(
  all: T[],
  maxResults: number | undefined,
  token: string | undefined,
  min: number,
  max: number,
): { items: T[]; next?: string } {
  const start = checkPage(maxResults, token, min, max);
  const size = maxResults ?? all.length;
  const items = all.slice(start, start + size);
  return {
    items,
    next: start + size < all.length ? Buffer.from(String(start + size)).toString('base64url') : undefined,
  };
}

/**
 * MaxResults/NextToken checked, the token's offset returned. An action that makes objects on first
 * sight (a VPC's main route table) calls it before it does, so a refused request writes nothing.
 */
export function checkPage(maxResults: number | undefined, token: string | undefined, min: number, max: number): number {
  if (maxResults !== undefined && (maxResults < min || maxResults > max))
    throw ec2Error(
      'InvalidParameterValue',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
    );
  const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw ec2Error('InvalidParameterValue', 'Invalid value for parameter nextToken');
  return start;
}
