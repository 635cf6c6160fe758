import { JavaDouble } from './encode.js';

/**
 * An answer body as another front in this process reads it: exactly what `JSON.parse` gives back
 * from `encodeJson`'s text, without writing the text. Java doubles become numbers, fields left
 * undefined go away (in arrays they become null, as JSON writes them), a value with `toJSON` is
 * what that returns, and nothing of the views' own objects is shared with the caller, who may
 * change what it is handed (the list cache keeps the original).
 */
export function plainBody(body: Record<string, unknown>): Record<string, unknown> {
  return plainObject(body);
}

function plain(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    // JSON writes NaN and the infinities as null, and -0 as 0.
    case 'number':
      return Number.isFinite(v) ? v + 0 : null;
    case 'object':
      if (v === null) return null;
      if (v instanceof JavaDouble) return Number.isFinite(v.value) ? v.value + 0 : null;
      if (Array.isArray(v)) return v.map((x) => plain(x) ?? null);
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return plain((v as { toJSON(): unknown }).toJSON());
      return plainObject(v as Record<string, unknown>);
    case 'bigint':
      // JSON.stringify refuses a bigint; so does this, rather than hand over a different answer.
      throw new TypeError('Do not know how to serialize a BigInt');
    // undefined, functions and symbols: left out of objects, null in arrays.
    default:
      return undefined;
  }
}

function plainObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const x = plain(o[k]);
    if (x === undefined) continue;
    // `__proto__` is an ordinary key in JSON.parse's answer; an assignment would set the prototype instead.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}
