// A whole relay connection, read 100 a page (the server's page limit) until the last: for views
// that need the whole fleet (overview cards, probe targets, agents), not just the first page.
import type { Client, OperationResult } from 'urql';

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

/** `fields` is the selection of each node, e.g. "id hostname status labels". */
export async function fetchAll<T>(client: Client, connection: 'hosts' | 'agents', fields: string): Promise<T[]> {
  const query = `query All($after: String) { ${connection}(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${fields} } } } }`;
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const r: OperationResult<Record<string, Page<T>>> = await client.query<Record<string, Page<T>>>(query, { after }, { requestPolicy: 'network-only' }).toPromise();
    if (r.error) throw r.error;
    const page = r.data![connection]!;
    for (const { node } of page.edges) out.push(node);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return out;
    after = page.pageInfo.endCursor;
  }
}

export const fetchAllHosts = <T>(client: Client, fields: string) => fetchAll<T>(client, 'hosts', fields);
