import type { StreamedList } from './command.js';
import { jsonItems, xmlItems, xmlOpen } from './encode.js';

/** A streamed list whose first chunk has been read: a failure up to there still gets an error answer. */
export interface OpenedList {
  key: string;
  count: number;
  first: IteratorResult<object[]>;
  rest: AsyncIterator<object[]>;
}

export async function openList(r: StreamedList): Promise<OpenedList> {
  const rest = r.chunks[Symbol.asyncIterator]();
  return { key: r.key, count: r.count, first: await rest.next(), rest };
}

/** Stops reading the list (the answer will not be written, or the client went away). */
export async function closeList(l: OpenedList): Promise<void> {
  await l.rest.return?.();
}

async function* chunksOf(l: OpenedList): AsyncGenerator<object[]> {
  for (let r = l.first; !r.done; r = await l.rest.next()) if (r.value.length) yield r.value;
}

/**
 * The answer encodeJson would give for `{count, key: [...items]}`, in pieces: resultBody's rules too
 * (no count when 0, no array when no item came, which a list emptied while it is read can be).
 */
export async function* jsonList(responseName: string, l: OpenedList): AsyncGenerator<string> {
  let head = `{"${responseName}":{${l.count ? `"count":${l.count}` : ''}`;
  let open = false;
  try {
    for await (const items of chunksOf(l)) {
      const lead = open ? ',' : `${head}${l.count ? ',' : ''}${JSON.stringify(l.key)}:[`;
      open = true;
      head = '';
      yield lead + jsonItems(items);
    }
  } finally {
    await closeList(l);
  }
  yield `${head}${open ? ']' : ''}}}`;
}

/** The same for encodeXml: the envelope with its count, one element per item, the closing tag. */
export async function* xmlList(responseName: string, l: OpenedList): AsyncGenerator<string> {
  let head = xmlOpen(responseName, l.count ? { count: l.count } : {});
  try {
    for await (const items of chunksOf(l)) {
      yield head + xmlItems(l.key, items);
      head = '';
    }
  } finally {
    await closeList(l);
  }
  yield `${head}</${responseName}>`;
}
