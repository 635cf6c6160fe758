/**
 * Wildcard patterns (`*` any run, optionally `?` any one character) matched without a regular
 * expression: the pieces between stars are placed leftmost-first, which is exact for globs and
 * never backtracks, so a pattern such as `a*a*a*a*a*b` costs at most text x pattern length steps
 * instead of growing with the number of stars.
 */
export interface GlobOptions {
  /** `?` stands for any one character (EC2); otherwise it is literal (GCE). */
  one?: boolean;
  /** A backslash makes the next `*`, `?` or `\` literal, as EC2 filters document. */
  escapes?: boolean;
}

/** One character of a piece: a literal, or ANY for `?`. */
const ANY = null;
type Piece = (string | typeof ANY)[];

function pieces(pattern: string, o: GlobOptions): Piece[] {
  const out: Piece[] = [[]];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (o.escapes && c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      out[out.length - 1]!.push(next);
      i++;
    } else if (c === '*') out.push([]);
    else out[out.length - 1]!.push(o.one && c === '?' ? ANY : c);
  }
  return out;
}

const fitsAt = (piece: Piece, text: string, at: number): boolean =>
  piece.every((c, k) => c === ANY || c === text[at + k]);

/** A finder of a piece's first place from `from` that ends by `end`, or -1. */
function finder(piece: Piece): (text: string, from: number, end: number) => number {
  const fits = (at: number, end: number) => at >= 0 && at + piece.length <= end;
  // A piece without `?` is a plain substring, found by V8's Boyer-Moore search.
  if (!piece.includes(ANY)) {
    const literal = piece.join('');
    return (text, from, end) => {
      const at = text.indexOf(literal, from);
      return fits(at, end) ? at : -1;
    };
  }
  return (text, from, end) => {
    for (let at = from; fits(at, end); at++) if (fitsAt(piece, text, at)) return at;
    return -1;
  };
}

/** A matcher for the whole text against `pattern`. */
export function globMatcher(pattern: string, o: GlobOptions = {}): (text: string) => boolean {
  const ps = pieces(pattern, o);
  const first = ps[0]!;
  if (ps.length === 1) return (text) => text.length === first.length && fitsAt(first, text, 0);
  const last = ps[ps.length - 1]!;
  const middle = ps.slice(1, -1).map((piece) => ({ length: piece.length, find: finder(piece) }));
  return (text) => {
    const end = text.length - last.length;
    if (end < first.length || !fitsAt(first, text, 0) || !fitsAt(last, text, end)) return false;
    let at = first.length;
    for (const piece of middle) {
      const found = piece.find(text, at, end);
      if (found < 0) return false;
      at = found + piece.length;
    }
    return true;
  };
}
