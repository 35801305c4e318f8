// A checked probe as rows: `probes` holds the latest definition in columns, `probe_versions`
// every save in full; both written in one transaction here and nowhere else.
import type { PrismaTypes } from '@esmon/db';
import type { HostScope, ProbeDefinition } from '@esmon/schema';

type Tx = PrismaTypes.TransactionClient;
export type ProbeRow = PrismaTypes.ProbeModel;

export interface SaveMeta {
  authorId: number | null;
  comment: string | null;
}

/** Plugin parameters are JSON by construction (they came in as JSON and passed zod). */
const json = (v: unknown) => v as PrismaTypes.InputJsonValue;

function columns(d: ProbeDefinition) {
  return {
    name: d.name,
    description: d.description ?? null,
    steps: json(d.steps),
    outputs: json(d.extract),
    intervalSeconds: d.intervalSeconds,
    timeoutSeconds: d.timeoutSeconds,
    target: d.targets,
    enabled: d.enabled,
  };
}

export function definitionOfProbe(row: ProbeRow): ProbeDefinition {
  return {
    name: row.name,
    description: row.description,
    steps: row.steps as ProbeDefinition['steps'],
    extract: row.outputs as ProbeDefinition['extract'],
    intervalSeconds: row.intervalSeconds,
    timeoutSeconds: row.timeoutSeconds,
    targets: row.target as HostScope,
    enabled: row.enabled,
  };
}

export async function insertProbeRows(tx: Tx, d: ProbeDefinition, meta: SaveMeta): Promise<ProbeRow> {
  const row = await tx.probe.create({ data: { ...columns(d), version: 1 } });
  await tx.probeVersion.create({ data: { probeId: row.id, version: 1, definition: json(d), ...meta } });
  return row;
}

/** Saves `d` as the next version only if the probe is still at `fromVersion`; undefined when it moved. */
export async function updateProbeRows(tx: Tx, id: number, fromVersion: number, d: ProbeDefinition, meta: SaveMeta): Promise<ProbeRow | undefined> {
  const { count } = await tx.probe.updateMany({ where: { id, version: fromVersion }, data: { ...columns(d), version: { increment: 1 } } });
  if (count === 0) return undefined;
  await tx.probeVersion.create({ data: { probeId: id, version: fromVersion + 1, definition: json(d), ...meta } });
  return tx.probe.findUniqueOrThrow({ where: { id } });
}
