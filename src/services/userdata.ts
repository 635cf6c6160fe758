import { invalid } from '../domain/errors.js';

export type Transport = 'GET' | 'POST';

// UserVmManagerImpl: MAX_HTTP_GET_LENGTH = 2 * 2048, MAX_HTTP_POST_LENGTH = 16 * 2048 * 32 (1 MiB of base64).
const MAX_GET = 4096;
const MAX_POST = 1048576;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Userdata must be standard base64 and fit the transport and vm.userdata.max.length. */
export function validateUserData(userData: string, transport: Transport, maxLength: number): void {
  const s = userData.replace(/\s+/g, '');
  if (!BASE64.test(s)) throw invalid('User data is not base64 encoded', 'userdata');
  if (transport === 'GET' && s.length >= MAX_GET) throw invalid('User data is too long for an http GET request', 'userdata');
  if (transport === 'POST' && s.length >= MAX_POST) throw invalid('User data is too long for an http POST request', 'userdata');
  if (s.length > maxLength) throw invalid(`User data has exceeded configurable max length : ${maxLength}`, 'userdata');
  if (Buffer.from(s, 'base64').length < 1) throw invalid('User data is too short', 'userdata');
}
