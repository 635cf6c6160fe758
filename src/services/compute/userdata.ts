import { invalid } from '../../domain/errors.js';

export type Transport = 'GET' | 'POST';

// UserVmManagerImpl: MAX_HTTP_GET_LENGTH = 2 * 2048, MAX_HTTP_POST_LENGTH = 16 * 2048 * 32 (1 MiB of base64).
const MAX_GET = 4096;
const MAX_POST = 1048576;
// commons-codec Base64.isBase64: every character is in the standard or URL-safe alphabet, '=' or
// whitespace; padding is optional and may appear anywhere, so 'aGVsbG8' passes.
const IS_BASE64 = /^[A-Za-z0-9+/\-_=\s]*$/;

/**
 * Checks userdata as CloudStack does and returns what it stores: the decoded bytes re-encoded as padded
 * standard base64 (UserVmManagerImpl re-encodes because the virtual router's python needs the padding).
 */
export function validateUserData(userData: string, transport: Transport, maxLength: number): string {
  if (!IS_BASE64.test(userData)) throw invalid('User data is not base64 encoded', 'userdata');
  const limit = transport === 'GET' ? MAX_GET : MAX_POST;
  if (userData.length >= limit) throw invalid(`User data is too long for an http ${transport} request`, 'userdata');
  if (userData.length > maxLength)
    throw invalid(`User data has exceeded configurable max length : ${maxLength}`, 'userdata');
  const decoded = decode(userData);
  if (decoded.length > limit) throw invalid(`User data is too long for ${transport} request`, 'userdata');
  if (decoded.length < 1) throw invalid('User data is too short', 'userdata');
  return decoded.toString('base64');
}

/** Decodes like commons-codec: whitespace and '=' anywhere are skipped, both alphabets are read. */
function decode(s: string): Buffer {
  const clean = s.replace(/[\s=]/g, '').replace(/-/g, '+').replace(/_/g, '/');
  // A trailing single character carries fewer than 8 bits; commons-codec drops it, and so does Buffer.
  return Buffer.from(clean, 'base64');
}
