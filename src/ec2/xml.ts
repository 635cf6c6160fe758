import { XMLBuilder } from 'fast-xml-parser';
import { shape, XMLNS, type Shape } from './model.js';

/**
 * EC2 responses: `<ActionResponse xmlns=...>` with `requestId` first, then the output members
 * under their model locationNames; lists as `<nameSet><item>...</item></nameSet>`.
 */
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, processEntities: true });

const lcfirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function encodeOutput(action: string, outputShape: string | undefined, value: Record<string, unknown>, requestId: string): string {
  const body: Record<string, unknown> = { '@_xmlns': XMLNS, requestId };
  // Actions the model gives no output (RebootInstances, DeleteTags, ...) answer <return>true</return> on the wire.
  if (outputShape) Object.assign(body, encodeStructure(shape(outputShape), value));
  else body['return'] = 'true';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [`${action}Response`]: body })}`;
}

function encodeStructure(s: Shape, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(s.members ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    out[m.locationName ?? lcfirst(name)] = encodeValue(shape(m.shape), v);
  }
  return out;
}

function encodeValue(s: Shape, v: unknown): unknown {
  switch (s.type) {
    case 'structure':
      return encodeStructure(s, v as Record<string, unknown>);
    case 'list': {
      const items = (v as unknown[]).map((x) => encodeValue(shape(s.member!.shape), x));
      // An empty list is an empty element, as EC2 sends it.
      return items.length ? { [s.member!.locationName ?? 'item']: items } : '';
    }
    case 'timestamp':
      return new Date(v as number | string).toISOString();
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return String(v);
  }
}

export function encodeError(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ Response: { Errors: { Error: { Code: code, Message: message } }, RequestID: requestId } })}`;
}
