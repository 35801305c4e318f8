// The certificate and key for https (ESMON_TLS_CERT, ESMON_TLS_KEY), read and checked before the
// port opens: a missing, unreadable, malformed or mismatched file stops the start with its name.
import { readFile } from 'node:fs/promises';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../config.ts';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

async function read(variable: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new ConfigError(`${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of a PEM file the server can read`);
  }
}

/** Reads and checks the pair; throws a ConfigError naming the file at fault. */
export async function loadTlsFiles(certPath: string, keyPath: string): Promise<TlsFiles> {
  const cert = await read('ESMON_TLS_CERT', certPath);
  const key = await read('ESMON_TLS_KEY', keyPath);
  try {
    new X509Certificate(cert);
  } catch (err) {
    throw new ConfigError(`ESMON_TLS_CERT: ${certPath} is not a PEM certificate (${(err as Error).message})`);
  }
  try {
    createPrivateKey(key);
  } catch (err) {
    throw new ConfigError(`ESMON_TLS_KEY: ${keyPath} is not an unencrypted PEM private key (${(err as Error).message})`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new ConfigError(`ESMON_TLS_KEY: ${keyPath} is not the key of the certificate in ESMON_TLS_CERT (${certPath}) (${(err as Error).message})`);
  }
  return { cert, key };
}
