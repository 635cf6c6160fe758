import type { RE2JS } from 're2js';
import { GceError } from './errors.js';

/**
 * The regular expressions of legacy list filters (`name eq my-vm-.*`) run on RE2, as Google runs
 * them: linear in the text, whatever the pattern. A JavaScript RegExp backtracks, so `(a+)+` over
 * a 28-character name blocked the whole server for seconds, doubling with every character.
 * RE2's syntax is Google's too: no backreferences or lookarounds; such a pattern is a 400.
 */

// RE2 refuses a program past its memory budget ("pattern too large"). The JavaScript port runs a few
// nanoseconds per instruction and character, so polystack's cap is lower than Google's.
export const MAX_PROGRAM = 10_000;

// Matching costs at most (program size x text length) engine steps. One filter may spend this many
// over a whole listing (a few hundred milliseconds at worst), so a costly pattern over long values
// cannot hold the single event loop that serves every other request.
export const STEP_BUDGET = 100_000_000;

/** What one filter has spent so far: shared by all its regular expressions. */
export class Steps {
  used = 0;
  constructor(readonly budget = STEP_BUDGET) {}
}

const invalid = (why: string) => new GceError(400, 'invalid', `Invalid list filter expression: ${why}`);

let engine: typeof RE2JS | undefined;

/**
 * Loads RE2 before a request's filter is read (the GCE router does, for a request with a `filter`): ~190 KB
 * of source that every start compiled and kept, for the lists that pass a regular expression.
 */
export async function loadRegexEngine(): Promise<void> {
  engine ??= (await import('re2js')).RE2JS;
}

/** A test of the whole text against an RE2 `pattern`; a pattern RE2 refuses is a 400 `invalid`. */
export function re2FullMatch(pattern: string, steps: Steps): (text: string) => boolean {
  if (!engine) throw new Error('re2FullMatch before loadRegexEngine()');
  let re: RE2JS;
  try {
    re = engine.compile(pattern);
  } catch {
    // RE2JSSyntaxException for what RE2 refuses; anything else the compiler throws is the pattern's doing too.
    throw invalid(`bad regular expression '${pattern}'`);
  }
  const size = re.programSize();
  if (size > MAX_PROGRAM) throw invalid(`regular expression '${pattern}' is too large`);
  return (text) => {
    steps.used += size * (text.length + 1);
    if (steps.used > steps.budget)
      throw invalid(`regular expression '${pattern}' is too costly to evaluate over these resources`);
    return re.testExact(text);
  };
}
