// Which server key this agent trusts. agent.yaml's `serverKey` (written by `esmon-agent enroll`)
// when set; else trust on first use: the first key the server presents is pinned in
// <dataDir>/server-key.pin, and from then on a configuration signed with another key is refused,
// loudly, until the operator removes the pin (or sets serverKey) and restarts the agent.
import type { KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeLog } from './probe-log.ts';
import { keyIdOf, serverPublicKey, type TrustVerdict } from './trust.ts';

export const SERVER_KEY_PIN_FILE = 'server-key.pin';

export interface ServerTrustOptions {
  dataDir: string;
  /** agent.yaml's serverKey: the raw Ed25519 public key in base64; wins over any pin */
  configured?: string;
  log: ProbeLog;
}

export interface ServerTrust {
  /** Reads the pin (once, before the first configuration). Throws on an unreadable or damaged pin. */
  load(): Promise<void>;
  /**
   * The key a configuration's probes are checked with, given the key it says signed it. A server
   * configuration with no key pinned yet pins its key (trust on first use); a cached one never does.
   */
  admit(offered: string | undefined, source: 'server' | 'cache'): TrustVerdict;
  /** the key trusted now (runProbe commands are checked with it); undefined before any */
  current(): KeyObject | undefined;
  /** Resolves when the pin is on disk. */
  settled(): Promise<void>;
}

export class ServerKeyError extends Error {
  override name = 'ServerKeyError';
}

export function createServerTrust(options: ServerTrustOptions): ServerTrust {
  const { dataDir, log } = options;
  const file = join(dataDir, SERVER_KEY_PIN_FILE);
  const where = options.configured ? 'agent.yaml serverKey' : file;
  const fix = options.configured
    ? 'set agent.yaml serverKey to the new key (agentTrust.publicKey)'
    : `delete ${file}`;
  let pinned: { base64: string; key: KeyObject } | undefined;
  let writing = Promise.resolve();
  /** the last mismatch said, so a refused key is logged once, not with every configuration */
  let saidMismatch: string | undefined;

  function trusted(base64: string, what: string) {
    const key = serverPublicKey(base64);
    if (!key)
      throw new ServerKeyError(
        `${what} is not an Ed25519 public key (32 bytes in base64): copy agentTrust.publicKey from the server`,
      );
    return { base64: base64.trim(), key };
  }

  return {
    async load() {
      if (options.configured) {
        pinned = trusted(options.configured, 'agent.yaml serverKey');
        return;
      }
      const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw new ServerKeyError(`cannot read the pinned server key ${file}: ${err.message}`);
      });
      if (text !== undefined) pinned = trusted(text, file);
    },
    admit(offered, source) {
      if (pinned) {
        if (offered === undefined || offered.trim() === pinned.base64) return { key: pinned.key };
        const message = `signed with server key ${keyIdOf(offered)}, but this agent trusts ${keyIdOf(pinned.base64)} (${where})`;
        if (saidMismatch !== offered) {
          log.error(
            `the server's signing key changed: ${message}. Refusing every probe it sends. If the server's key was replaced on purpose, ${fix} and restart the agent`,
          );
          saidMismatch = offered;
        }
        return { refusal: { reason: 'untrusted_key', message: `${message}; not run` } };
      }
      const key = offered === undefined ? undefined : serverPublicKey(offered);
      if (!key || source !== 'server') {
        const why = !key
          ? 'the server presented no usable signing key'
          : 'no server key is pinned yet and a cached configuration cannot pin one';
        return { refusal: { reason: 'untrusted_key', message: `${why}; not run` } };
      }
      pinned = { base64: offered!.trim(), key };
      log.warn(
        `trusting the server's signing key ${keyIdOf(pinned.base64)} from now on (first use), pinned in ${file}; compare it with agentTrust.keyId on the server`,
      );
      const text = `${pinned.base64}\n`;
      writing = writing
        .then(async () => {
          await mkdir(dataDir, { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          await writeFile(tmp, text, { mode: 0o600 });
          await rename(tmp, file);
        })
        .catch((err: unknown) =>
          log.error(`cannot pin the server key in ${file}: ${(err as Error).message}`),
        );
      return { key };
    },
    current: () => pinned?.key,
    settled: () => writing,
  };
}
