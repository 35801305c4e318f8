// The GraphQL the probe pages use, and the plugin catalogue as a map by id.
import { useEffect, useMemo, useState } from 'react';
import { useClient, useQuery, useSubscription } from 'urql';
import { fetchAllHosts } from '../../api/connections.ts';
import type { PluginManifest } from './model.ts';

export const PROBES = `{ probes { id name version enabled intervalSeconds timeoutSeconds definition updatedAt } }`;
export const PROBE = `query ($id: ID!) { probe(id: $id) { id name version enabled intervalSeconds timeoutSeconds definition updatedAt } }`;
export const PLUGINS = `{ plugins }`;
export const HOST_STATUS = `subscription { hostStatusChanged { hostId status } }`;
export const CREATE = `mutation ($d: JSON!) { createProbe(definition: $d) { id name version enabled intervalSeconds timeoutSeconds definition updatedAt } }`;
export const UPDATE = `mutation ($id: ID!, $d: JSON!, $v: Int) { updateProbe(id: $id, definition: $d, expectedVersion: $v) { id name version enabled intervalSeconds timeoutSeconds definition updatedAt } }`;
export const DELETE = `mutation ($id: ID!) { deleteProbe(id: $id) }`;
export const RUN = `mutation ($p: ID!, $h: ID!) { runProbeNow(probeId: $p, hostId: $h) }`;

export interface ProbeRow {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  intervalSeconds: number;
  timeoutSeconds: number;
  definition: unknown;
  updatedAt: string;
}

export interface HostRow {
  id: string;
  hostname: string;
  status: 'online' | 'offline' | 'unknown';
  labels: Record<string, string> | null;
}

/** Every step plugin's manifest, by id (the palette and the forms are drawn from them). */
export function usePlugins(): { manifests: Map<string, PluginManifest>; error?: Error; fetching: boolean } {
  const [{ data, error, fetching }] = useQuery<{ plugins: PluginManifest[] }>({ query: PLUGINS });
  const manifests = useMemo(() => new Map((data?.plugins ?? []).map((m) => [m.id, m])), [data]);
  return { manifests, ...(error ? { error } : {}), fetching };
}

/** Every host with its labels, its status kept live by hostStatusChanged. */
export function useHosts(): { hosts: HostRow[]; error?: Error } {
  const client = useClient();
  const [all, setAll] = useState<HostRow[]>([]);
  const [error, setError] = useState<Error>();
  useEffect(() => {
    let live = true;
    fetchAllHosts<HostRow>(client, 'id hostname status labels').then(
      (hosts) => live && setAll(hosts),
      (err: Error) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [client]);
  const [{ data: live }] = useSubscription<{ hostStatusChanged: { hostId: string; status: HostRow['status'] } }, Record<string, HostRow['status']>>(
    { query: HOST_STATUS },
    (seen = {}, event) => ({ ...seen, [event.hostStatusChanged.hostId]: event.hostStatusChanged.status }),
  );
  const hosts = useMemo(
    () => all.map((node) => ({ ...node, labels: node.labels ?? {}, status: live?.[node.id] ?? node.status })),
    [all, live],
  );
  return { hosts, ...(error ? { error } : {}) };
}
