// The agent's data directory: created on start, and held by one agent at a time. Two agents
// appending to the same segments would interleave records and send each other's batches, so the
// second one is refused with a message that says what to do.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The data directory cannot be used: missing rights, a file in the way, or another agent in it. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** Linux names each boot; a lock written during an earlier boot is stale whatever its pid now is. */
async function bootId(): Promise<string> {
  return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates `dir` and its sub-folders, refusing with what failed and why. */
export async function prepareDataDir(dir: string, subdirs: string[]): Promise<void> {
  for (const path of [dir, ...subdirs.map((s) => join(dir, s))]) {
    try {
      await mkdir(path, { recursive: true });
    } catch (err) {
      throw new DataDirError(`data directory ${dir}: cannot create ${path}: ${(err as Error).message}`);
    }
  }
}

/**
 * Takes `dir/lock` (our pid and boot, created exclusively); resolves with the function that gives
 * it back. A lock left by a process that is gone (killed, crashed, or from before a reboot) is
 * taken over, and so is one naming our own pid: after a container restart the new agent often
 * gets the old one's pid.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, 'lock');
  const boot = await bootId();
  const release = async () => {
    const [holder] = (await readFile(file, 'utf8').catch(() => '')).split('\n');
    if (Number(holder) === process.pid) await rm(file, { force: true });
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n${boot}\n`, { flag: 'wx' });
      return release;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new DataDirError(`data directory ${dir}: cannot write in it: ${(err as Error).message}`);
    }
    const [pidText = '', lockBoot = ''] = (await readFile(file, 'utf8').catch(() => '')).split('\n');
    const pid = Number(pidText);
    const sameBoot = !boot || !lockBoot || boot === lockBoot;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && sameBoot && isAlive(pid)) {
      throw new DataDirError(
        `data directory ${dir} is in use by another esmon-agent (pid ${pid}); give each agent its own --data-dir ` +
          `(if pid ${pid} is not an agent, remove ${file})`,
      );
    }
    await rm(file, { force: true });
  }
  throw new DataDirError(`data directory ${dir}: could not take ${file}`);
}
