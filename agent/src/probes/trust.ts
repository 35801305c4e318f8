// Whether a probe definition really is the server's, for this host: Ed25519 over schema's
// probeSigningPayload, checked with the server key this agent trusts (server-key.ts) before a
// probe is scheduled or run now. A probe that fails is refused, never run.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { probeSigningPayload } from '@esmon/schema';
import type { Refusal } from './allow.ts';

/** A probe as received, before anything else is made of it. */
export interface ReceivedProbe {
  id: string;
  version: number;
  definition: unknown;
  /** Ed25519 signature (base64) over probeSigningPayload */
  signature?: string;
}

/** The server's raw 32-byte Ed25519 public key (base64) as a key object; undefined when it is not one. */
export function serverPublicKey(base64: string): KeyObject | undefined {
  const raw = Buffer.from(base64.trim(), 'base64');
  if (raw.length !== 32) return undefined;
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/** The fingerprint the server logs and agentTrust shows: 16 hex digits of SHA-256 over the raw key. */
export const keyIdOf = (base64: string) =>
  createHash('sha256').update(Buffer.from(base64.trim(), 'base64')).digest('hex').slice(0, 16);

/** True when `probe.signature` is the server's over this probe for `host` (and `command`, when given). */
export function signedForHost(key: KeyObject, host: string, probe: ReceivedProbe, command?: string): boolean {
  if (typeof probe.signature !== 'string' || probe.signature === '') return false;
  let text: string;
  try {
    text = probeSigningPayload({
      host,
      id: probe.id,
      version: probe.version,
      definition: probe.definition,
      ...(command === undefined ? {} : { command }),
    });
  } catch {
    return false; // not even JSON: cannot have been signed
  }
  try {
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(probe.signature, 'base64'));
  } catch {
    return false; // a signature of the wrong length
  }
}

/** What a configuration's probes are checked with: the trusted key, or why none of them can be trusted. */
export type TrustVerdict = { key: KeyObject } | { refusal: Refusal };

/** The check acceptConfig runs first on every probe: undefined when it is the server's, for this host. */
export function probeVerifier(
  verdict: TrustVerdict,
  host: string,
): (probe: ReceivedProbe) => Refusal | undefined {
  if ('refusal' in verdict) return () => verdict.refusal;
  return (probe) =>
    signedForHost(verdict.key, host, probe)
      ? undefined
      : {
          reason: 'bad_signature',
          message: `${probe.signature ? 'bad' : 'no'} signature: this definition is not the one the server signed for host ${host} (changed after signing, or not from the server); not run`,
        };
}
