/** NetUtils.verifyDomainName: what a network domain may look like. */
export const DOMAIN_NAME_RULES =
  "Invalid network domain. Total length shouldn't exceed 190 chars. Each domain label must be between 1 and 63 characters long, can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'); can't start or end with \"-\"";

export function isDomainName(s: string): boolean {
  if (s.length === 0 || s.length > 190) return false;
  return s.split('.').every((label) => /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(label));
}
