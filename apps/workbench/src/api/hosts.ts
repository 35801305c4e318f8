// Every host, read 100 a page (the server's page limit) until the last: for views that need the
// whole fleet (overview cards, probe targets), not just the first page.
import type { Client, OperationResult } from 'urql';

interface HostsPage<T> {
  hosts: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: T }[] };
}

/** `fields` is the selection of each host, e.g. "id hostname status labels". */
export async function fetchAllHosts<T>(client: Client, fields: string): Promise<T[]> {
  const query = `query AllHosts($after: String) { hosts(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${fields} } } } }`;
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const r: OperationResult<HostsPage<T>> = await client.query<HostsPage<T>>(query, { after }, { requestPolicy: 'network-only' }).toPromise();
    if (r.error) throw r.error;
    const page = r.data!.hosts;
    for (const { node } of page.edges) out.push(node);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return out;
    after = page.pageInfo.endCursor;
  }
}
