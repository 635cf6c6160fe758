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

/** Members of a structure shape as [model name, element name, shape], computed once per shape. */
const fields = new Map<Shape, [string, string, Shape][]>();
function fieldsOf(s: Shape): [string, string, Shape][] {
  let f = fields.get(s);
  if (!f) {
    f = Object.entries(s.members ?? {}).map(
      ([name, m]) => [name, m.locationName ?? lcfirst(name), shape(m.shape)] as [string, string, Shape],
    );
    fields.set(s, f);
  }
  return f;
}

export function encodeOutput(
  action: string,
  outputShape: string | undefined,
  value: Record<string, unknown>,
  requestId: string,
): string {
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${XMLNS}"><requestId>${escape(requestId)}</requestId>`,
  ];
  // Actions the model gives no output (RebootInstances, DeleteTags, ...) answer <return>true</return> on the wire.
  if (outputShape) writeStructure(out, shape(outputShape), value);
  else out.push('<return>true</return>');
  out.push(`</${action}Response>`);
  return out.join('');
}

function writeStructure(out: string[], s: Shape, value: Record<string, unknown>): void {
  for (const [name, element, fieldShape] of fieldsOf(s)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    out.push(`<${element}>`);
    writeValue(out, fieldShape, v);
    out.push(`</${element}>`);
  }
}

function writeValue(out: string[], s: Shape, v: unknown): void {
  switch (s.type) {
    case 'structure':
      return writeStructure(out, s, v as Record<string, unknown>);
    case 'list': {
      const item = s.member!.locationName ?? 'item';
      const memberShape = shape(s.member!.shape);
      // An empty list is an empty element, as EC2 sends it.
      for (const x of v as unknown[]) {
        out.push(`<${item}>`);
        writeValue(out, memberShape, x);
        out.push(`</${item}>`);
      }
      return;
    }
    case 'timestamp':
      out.push(new Date(v as number | string).toISOString());
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    default:
      out.push(escape(String(v)));
  }
}

export function encodeError(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error></Errors><RequestID>${escape(requestId)}</RequestID></Response>`;
}
