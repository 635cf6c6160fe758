/**
 * Percent-decoding of request input. `decodeURIComponent` throws a URIError on a malformed escape
 * (`%E0%A4%A`, `%zz`, an encoded lone surrogate); thrown from a handler that is a 500. Every front
 * decodes through here and decides what a malformed value means for its protocol
 * (test/fronts/percent.test.ts keeps raw calls out of src).
 */
export function decodePercent(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The value decoded, or kept as sent when it is not valid percent-encoding. */
export const decodePercentOrKeep = (s: string): string => decodePercent(s) ?? s;
