import { globMatcher } from '../domain/glob.js';
import { GceError } from './errors.js';
import { re2FullMatch, Steps } from './regex.js';

/**
 * The `filter` query parameter of list methods, in both syntaxes Compute Engine accepts:
 * the legacy one (`name eq my-vm.*`, `(name ne a)(status eq RUNNING)`; the value is an RE2
 * regular expression that must match the whole field) and the AIP-160 one (`name = "vm-1"`,
 * `status != RUNNING`, `labels.env = prod`, `labels.owner:*`, `a = 1 AND (b = 2 OR c = 3)`,
 * `NOT x = y`, `*` wildcards, `<`/`>` comparisons). Juxtaposed terms are ANDed.
 * The parser reads with sticky expressions at its position (no copy of the rest per token) and
 * bounds nesting, so neither a long filter nor 5,000 parentheses can stall or overflow the stack.
 */
export type Predicate = (item: Record<string, unknown>) => boolean;

type Op = 'eq' | 'ne' | '=' | '!=' | ':' | '<' | '>' | '<=' | '>=';

const bad = (filter: string, why: string) =>
  new GceError(400, 'invalid', `Invalid list filter expression '${filter}': ${why}`);

/** Groups and negations nest this deep at most: far beyond any real filter, far short of the stack. */
export const MAX_DEPTH = 100;

// The module's sticky expressions: `lastIndex` is set before each use, and parsing is synchronous.
const WORD = { OR: /OR(?=[\s(]|$)/y, AND: /AND(?=[\s(]|$)/y, NOT: /NOT(?=[\s(]|$)/y };
const FIELD = /[A-Za-z_][\w.-]*/y;
const OP = /(?:eq|ne)(?=\s)|!=|<=|>=|=|:|<|>/y;

export function parseFilter(filter: string, knownFields?: ReadonlySet<string>): Predicate {
  return parsed(filter, knownFields).pred;
}

/** A comparison every match must pass: one of the filter's top-level AND terms (not under OR or NOT). */
export interface Required {
  field: string;
  op: Op;
  value: string;
}

/**
 * The predicate, and the comparisons any match must pass: what a list may hand to its source to
 * narrow what it reads (filter.pushdown.ts), before the predicate decides.
 */
export function parsed(filter: string, knownFields?: ReadonlySet<string>): { pred: Predicate; required: Required[] } {
  const p = new Parser(filter, knownFields);
  const pred = p.or();
  p.skip();
  if (!p.done()) throw bad(filter, `unexpected '${filter.slice(p.i)}'`);
  return { pred, required: p.required };
}

class Parser {
  i = 0;
  depth = 0;
  readonly steps = new Steps();
  /** Comparisons met at the top-level conjunction; `loose` counts the ORs and NOTs around the position. */
  readonly required: Required[] = [];
  loose = 0;
  constructor(
    readonly s: string,
    readonly known?: ReadonlySet<string>,
  ) {}
  done = () => this.i >= this.s.length;
  skip(): void {
    while (!this.done() && /\s/.test(this.s[this.i]!)) this.i++;
  }
  /** The text `re` matches at the current position, if any (the position does not move). */
  peek(re: RegExp): string | undefined {
    re.lastIndex = this.i;
    return re.exec(this.s)?.[0];
  }
  keyword(word: keyof typeof WORD): boolean {
    this.skip();
    const m = this.peek(WORD[word]);
    if (m) this.i += m.length;
    return m !== undefined;
  }
  nested<T>(inner: () => T): T {
    if (++this.depth > MAX_DEPTH) throw bad(this.s, `nested deeper than ${MAX_DEPTH}`);
    const out = inner();
    this.depth--;
    return out;
  }
  or(): Predicate {
    const mark = this.required.length;
    const terms = [this.and()];
    while (this.keyword('OR')) {
      this.loose++;
      terms.push(this.and());
      this.loose--;
    }
    // The first alternative's terms are not required once there is a second.
    if (terms.length > 1) this.required.length = mark;
    return terms.length === 1 ? terms[0]! : (x) => terms.some((t) => t(x));
  }
  and(): Predicate {
    const terms = [this.unary()];
    for (;;) {
      this.skip();
      if (this.done() || this.s[this.i] === ')' || this.peek(WORD.OR) !== undefined) break;
      this.keyword('AND');
      terms.push(this.unary());
    }
    return terms.length === 1 ? terms[0]! : (x) => terms.every((t) => t(x));
  }
  unary(): Predicate {
    this.skip();
    if (this.keyword('NOT') || (this.s[this.i] === '-' && ++this.i)) {
      this.loose++;
      const inner = this.nested(() => this.unary());
      this.loose--;
      return (x) => !inner(x);
    }
    if (this.s[this.i] === '(') {
      this.i++;
      const inner = this.nested(() => this.or());
      this.skip();
      if (this.s[this.i] !== ')') throw bad(this.s, 'missing )');
      this.i++;
      return inner;
    }
    return this.comparison();
  }
  comparison(): Predicate {
    this.skip();
    const field = this.peek(FIELD);
    if (!field) throw bad(this.s, `expected a field name at '${this.s.slice(this.i)}'`);
    this.i += field.length;
    const root = field.split('.')[0]!;
    if (this.known && !this.known.has(root)) throw bad(this.s, `unknown field '${field}'`);
    this.skip();
    const op = this.peek(OP) as Op | undefined;
    if (!op) throw bad(this.s, `expected an operator after '${field}'`);
    this.i += op.length;
    const value = this.value();
    if (!this.loose) this.required.push({ field, op, value });
    return compare(field, op, value, this.steps);
  }
  value(): string {
    this.skip();
    const q = this.s[this.i];
    if (q === '"' || q === "'") {
      const end = this.s.indexOf(q, this.i + 1);
      if (end < 0) throw bad(this.s, 'unterminated string');
      const v = this.s.slice(this.i + 1, end);
      this.i = end + 1;
      return v;
    }
    // A bare value runs to whitespace or to the ')' closing a group (regexes may hold balanced parens).
    let depth = 0;
    const start = this.i;
    while (!this.done() && !/\s/.test(this.s[this.i]!)) {
      const c = this.s[this.i]!;
      if (c === '(') depth++;
      if (c === ')' && depth-- === 0) break;
      this.i++;
    }
    return this.s.slice(start, this.i);
  }
}

/** The values at a dotted path; arrays along the way fan out. */
function valuesAt(item: unknown, path: string[]): unknown[] {
  let cur: unknown[] = [item];
  for (const key of path) {
    cur = cur
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .flatMap((v) =>
        v !== null && typeof v === 'object' && Object.hasOwn(v, key) ? [(v as Record<string, unknown>)[key]] : [],
      );
  }
  return cur.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

const scalar = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));

function compare(field: string, op: Op, value: string, steps: Steps): Predicate {
  const path = field.split('.');
  if (op === 'eq' || op === 'ne') {
    const matches = re2FullMatch(value, steps);
    return (x) => valuesAt(x, path).some((v) => matches(scalar(v))) === (op === 'eq');
  }
  if (op === ':' && value === '*') return (x) => valuesAt(x, path).length > 0;
  if (op === '<' || op === '>' || op === '<=' || op === '>=') {
    const cmp = (a: string) => {
      const [na, nb] = [Number(a), Number(value)];
      const d = Number.isFinite(na) && Number.isFinite(nb) && a !== '' ? na - nb : a < value ? -1 : a > value ? 1 : 0;
      return op === '<' ? d < 0 : op === '>' ? d > 0 : op === '<=' ? d <= 0 : d >= 0;
    };
    return (x) => valuesAt(x, path).some((v) => cmp(scalar(v)));
  }
  const matches = globMatcher(value);
  const match = (x: Record<string, unknown>) => valuesAt(x, path).some((v) => matches(scalar(v)));
  return op === '!=' ? (x) => !match(x) : match;
}
