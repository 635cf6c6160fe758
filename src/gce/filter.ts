import { GceError } from './errors.js';

/**
 * The `filter` query parameter of list methods, in both syntaxes Compute Engine accepts:
 * the legacy one (`name eq my-vm.*`, `(name ne a)(status eq RUNNING)`; the value is an RE2
 * regular expression that must match the whole field) and the AIP-160 one (`name = "vm-1"`,
 * `status != RUNNING`, `labels.env = prod`, `labels.owner:*`, `a = 1 AND (b = 2 OR c = 3)`,
 * `NOT x = y`, `*` wildcards, `<`/`>` comparisons). Juxtaposed terms are ANDed.
 */
export type Predicate = (item: Record<string, unknown>) => boolean;

type Op = 'eq' | 'ne' | '=' | '!=' | ':' | '<' | '>' | '<=' | '>=';

const bad = (filter: string, why: string) => new GceError(400, 'invalid', `Invalid list filter expression '${filter}': ${why}`);

export function parseFilter(filter: string, knownFields?: ReadonlySet<string>): Predicate {
  const p = new Parser(filter, knownFields);
  const pred = p.or();
  p.skip();
  if (!p.done()) throw bad(filter, `unexpected '${filter.slice(p.i)}'`);
  return pred;
}

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    readonly known?: ReadonlySet<string>,
  ) {}
  done = () => this.i >= this.s.length;
  skip(): void {
    while (!this.done() && /\s/.test(this.s[this.i]!)) this.i++;
  }
  keyword(word: string): boolean {
    this.skip();
    const m = new RegExp(`^${word}(?=[\\s(]|$)`).exec(this.s.slice(this.i));
    if (m) this.i += word.length;
    return !!m;
  }
  or(): Predicate {
    const terms = [this.and()];
    while (this.keyword('OR')) terms.push(this.and());
    return terms.length === 1 ? terms[0]! : (x) => terms.some((t) => t(x));
  }
  and(): Predicate {
    const terms = [this.unary()];
    for (;;) {
      this.skip();
      if (this.done() || this.s[this.i] === ')' || /^OR(?=[\s(]|$)/.test(this.s.slice(this.i))) break;
      this.keyword('AND');
      terms.push(this.unary());
    }
    return terms.length === 1 ? terms[0]! : (x) => terms.every((t) => t(x));
  }
  unary(): Predicate {
    this.skip();
    if (this.keyword('NOT') || (this.s[this.i] === '-' && ++this.i)) {
      const inner = this.unary();
      return (x) => !inner(x);
    }
    if (this.s[this.i] === '(') {
      this.i++;
      const inner = this.or();
      this.skip();
      if (this.s[this.i] !== ')') throw bad(this.s, 'missing )');
      this.i++;
      return inner;
    }
    return this.comparison();
  }
  comparison(): Predicate {
    this.skip();
    const field = /^[A-Za-z_][\w.-]*/.exec(this.s.slice(this.i))?.[0];
    if (!field) throw bad(this.s, `expected a field name at '${this.s.slice(this.i)}'`);
    this.i += field.length;
    const root = field.split('.')[0]!;
    if (this.known && !this.known.has(root)) throw bad(this.s, `unknown field '${field}'`);
    this.skip();
    const op = /^(eq|ne)(?=\s)|^(!=|<=|>=|=|:|<|>)/.exec(this.s.slice(this.i))?.[0] as Op | undefined;
    if (!op) throw bad(this.s, `expected an operator after '${field}'`);
    this.i += op.length;
    return compare(field, op, this.value());
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
    cur = cur.flatMap((v) => (Array.isArray(v) ? v : [v])).flatMap((v) => (v !== null && typeof v === 'object' && key in v ? [(v as Record<string, unknown>)[key]] : []));
  }
  return cur.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
const scalar = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));

function compare(field: string, op: Op, value: string): Predicate {
  const path = field.split('.');
  if (op === 'eq' || op === 'ne') {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${value})$`);
    } catch {
      throw new GceError(400, 'invalid', `Invalid list filter expression: bad regular expression '${value}'`);
    }
    return (x) => valuesAt(x, path).some((v) => re.test(scalar(v))) === (op === 'eq');
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
  const re = glob(value);
  const match = (x: Record<string, unknown>) => valuesAt(x, path).some((v) => re.test(scalar(v)));
  return op === '!=' ? (x) => !match(x) : match;
}
