// The exact text the server signs for a probe it hands an agent, and the agent verifies before it
// runs it: the probe (id, version, definition), the host it is meant for, and for a "run on host
// now" command the command's id, so a definition cannot be edited, moved to another probe id,
// replayed to another host, or replayed as another command without the signature failing.
import { canonicalJson } from './canonical-json.ts';

/** The signature scheme of probe definitions (node:crypto 'ed25519', raw 32-byte keys in base64). */
export const PROBE_SIGNATURE_ALGORITHM = 'Ed25519';

export interface SignedProbeSubject {
  /** the hostname of the agent's host (the one its key is bound to) */
  host: string;
  /** the probe id; a number and its decimal string sign the same (GraphQL IDs arrive as strings) */
  id: string | number;
  version: number;
  definition: unknown;
  /** runProbe commands only: the command's id */
  command?: string;
}

/** The UTF-8 text that is signed: canonical JSON with a purpose tag, so no other signed text can pass for it. */
export function probeSigningPayload(subject: SignedProbeSubject): string {
  return canonicalJson({
    purpose: subject.command === undefined ? 'esmon.probe.v1' : 'esmon.probe-command.v1',
    host: subject.host,
    id: String(subject.id),
    version: subject.version,
    definition: subject.definition,
    command: subject.command,
  });
}
