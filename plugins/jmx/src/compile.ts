// Finds the bridge's compiled classes, or compiles them once with javac. The cache directory is
// named after a hash of the Java sources, so an upgraded agent never runs a stale bridge and two
// agents of the same version share one compilation.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JavaUnavailableError } from './protocol.ts';

export const BRIDGE_CLASS = 'EsmonJmxBridge';

export interface BridgeClassesOptions {
  javac: string;
  /** the folder holding EsmonJmxBridge.java and its helpers */
  sourceDir: string;
  /** where compiled bridges are kept, one folder per source hash */
  cacheRoot: string;
}

/** javac refused the sources; the message carries its diagnostics. */
export class BridgeCompileError extends Error {
  override name = 'BridgeCompileError';
}

/**
 * The directory to put on the bridge's class path: `<sourceDir>/classes` when it was shipped
 * precompiled for exactly these sources (its `source.sha256` says so), else the cache.
 */
export async function bridgeClasses(options: BridgeClassesOptions): Promise<string> {
  const { sources, digest } = await bridgeSources(options.sourceDir);
  const shipped = join(options.sourceDir, 'classes');
  const stamp = await readFile(join(shipped, 'source.sha256'), 'utf8').catch(() => '');
  if (stamp.trim() === digest) return shipped;

  const dir = join(options.cacheRoot, `esmon-jmx-${digest.slice(0, 16)}`);
  if (await isCompiled(dir)) return dir;
  // compile beside and rename into place: a half-written cache is never visible, and of two
  // agents compiling at once one wins the rename and the other drops its copy
  const work = `${dir}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(work, { recursive: true, mode: 0o700 });
  try {
    await javac(options.javac, ['-encoding', 'UTF-8', '-nowarn', '-d', work, ...sources]);
    await rename(work, dir).catch(() => undefined);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (await isCompiled(dir)) return dir;
  throw new BridgeCompileError(`jmx: the compiled bridge is missing from ${dir}, or another user owns that folder`);
}

/**
 * Compiles the bridge into `<sourceDir>/classes` for an agent package, for Java 8 and later (IBM
 * Java 8 still runs many Maximo hosts), stamped with the source hash bridgeClasses() looks for.
 */
export async function shipBridgeClasses(options: Omit<BridgeClassesOptions, 'cacheRoot'>): Promise<string> {
  const { sources, digest } = await bridgeSources(options.sourceDir);
  const dir = join(options.sourceDir, 'classes');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await javac(options.javac, ['--release', '8', '-encoding', 'UTF-8', '-nowarn', '-d', dir, ...sources]);
  await writeFile(join(dir, 'source.sha256'), `${digest}\n`);
  return dir;
}

/** The .java files (full paths, sorted) and a hash over their names and contents. */
async function bridgeSources(sourceDir: string): Promise<{ sources: string[]; digest: string }> {
  const names = (await readdir(sourceDir)).filter((f) => f.endsWith('.java')).sort();
  if (!names.includes(`${BRIDGE_CLASS}.java`)) throw new BridgeCompileError(`jmx: no ${BRIDGE_CLASS}.java in ${sourceDir}`);
  const hash = createHash('sha256');
  for (const f of names) hash.update(f).update('\0').update(await readFile(join(sourceDir, f))).update('\0');
  return { sources: names.map((f) => join(sourceDir, f)), digest: hash.digest('hex') };
}

/**
 * The cache lives in a shared temp folder: a class file planted there by another user would run
 * as the agent, so only files owned by us and writable by no one else count.
 */
async function isCompiled(dir: string): Promise<boolean> {
  const [d, f] = await Promise.all([stat(dir).catch(() => undefined), stat(join(dir, `${BRIDGE_CLASS}.class`)).catch(() => undefined)]);
  if (!d?.isDirectory() || !f?.isFile()) return false;
  if (process.platform === 'win32' || !process.getuid) return true;
  const uid = process.getuid();
  return [d, f].every((s) => s.uid === uid && (s.mode & 0o022) === 0);
}

function javac(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        reject(new JavaUnavailableError(`jmx: no Java compiler at "${file}": install a JDK (javac) or set JAVA_HOME, or ship the bridge precompiled`));
      } else reject(new BridgeCompileError(`jmx: running ${file} failed: ${err.message}`));
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new BridgeCompileError(`jmx: compiling the JMX bridge failed (javac exit ${code}):\n${output.trim().slice(0, 4000)}`));
    });
  });
}
