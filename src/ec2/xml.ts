import { shape, XMLNS, type Shape } from './model.js';

/**
 * EC2 responses: `<ActionResponse xmlns=...>` with `requestId` first, then the output members
 * under their model locationNames; lists as `<nameSet><item>...</item></nameSet>`.
 * Written straight to a string from the model: a general XML builder spent most of a
 * 1,000-instance DescribeInstances building and walking an intermediate tree.
 */
const lcfirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const NEEDS = /[&<>"']/;
const escape = (s: string) => (NEEDS.test(s) ? s.replace(/[&<>"']/g, (c) => ESC[c]!) : s);

/** A member of a structure shape: model name, its element's open and close tags, its shape. */
type Field = [string, string, string, Shape];

/** Members of a structure shape, computed once per shape. */
const fields = new Map<Shape, Field[]>();
function fieldsOf(s: Shape): Field[] {
  let f = fields.get(s);
  if (!f) {
    f = Object.entries(s.members ?? {}).map(([name, m]) => {
      const element = m.locationName ?? lcfirst(name);
      return [name, `<${element}>`, `</${element}>`, shape(m.shape)] as Field;
    });
    fields.set(s, f);
  }
  return f;
}

/** A list shape's item tags and member shape, computed once per shape. */
const items = new Map<Shape, [string, string, Shape]>();
function itemOf(s: Shape): [string, string, Shape] {
  let i = items.get(s);
  if (!i) {
    const item = s.member!.locationName ?? 'item';
    items.set(s, (i = [`<${item}>`, `</${item}>`, shape(s.member!.shape)]));
  }
  return i;
}

export function encodeOutput(
  action: string,
  outputShape: string | undefined,
  value: Record<string, unknown>,
  requestId: string,
): string {
  // One string grown by concatenation: a 100-instance page is ~10^5 pieces, which V8 joins as a rope.
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${XMLNS}"><requestId>${escape(requestId)}</requestId>`;
  // Actions the model gives no output (RebootInstances, DeleteTags, ...) answer <return>true</return> on the wire.
  const body = outputShape ? structure(shape(outputShape), value) : '<return>true</return>';
  return `${head}${body}</${action}Response>`;
}

function structure(s: Shape, value: Record<string, unknown>): string {
  let out = '';
  for (const [name, open, close, fieldShape] of fieldsOf(s)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    out += open + valueOf(fieldShape, v) + close;
  }
  return out;
}

function valueOf(s: Shape, v: unknown): string {
  switch (s.type) {
    case 'structure':
      return structure(s, v as Record<string, unknown>);
    case 'list': {
      const [open, close, memberShape] = itemOf(s);
      // An empty list is an empty element, as EC2 sends it.
      let out = '';
      for (const x of v as unknown[]) out += open + valueOf(memberShape, x) + close;
      return out;
    }
    case 'timestamp':
      return new Date(v as number | string).toISOString();
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return escape(String(v));
  }
}

export function encodeError(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error></Errors><RequestID>${escape(requestId)}</RequestID></Response>`;
}
