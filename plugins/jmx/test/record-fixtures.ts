// Records the bridge's real answers into fixtures/<case>/response.json, against a JmxTarget JVM:
//   node --import tsx plugins/jmx/test/record-fixtures.ts
// params.json of each case is written by hand; expected.json is checked by review, then kept.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JmxBridge } from '../src/bridge.ts';
import { prepareJmx } from '../src/prepare.ts';
import { compileTarget, startTarget } from './target.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** cases whose url is this placeholder talk to the target; others keep their own url */
const TARGET_URL = 'service:jmx:rmi:///jndi/rmi://127.0.0.1:9999/jmxrmi';

const dir = await mkdtemp(join(tmpdir(), 'esmon-jmx-record-'));
compileTarget(dir);
const target = await startTarget({ dir });
const bridge = new JmxBridge({ cacheRoot: dir });
try {
  for (const name of (await readdir(FIXTURES)).sort()) {
    const params = JSON.parse(await readFile(join(FIXTURES, name, 'params.json'), 'utf8'));
    const prepared = prepareJmx(params);
    const url = prepared.url === TARGET_URL ? target.url : prepared.url;
    const response = await bridge.read({ url, timeoutMs: prepared.timeoutMs, reads: prepared.reads });
    // the recording names the placeholder port, so params, answer and expectations agree
    const recorded = `EsmonJmxBridge against test/java/JmxTarget.java, Java ${process.env.JAVA_VERSION ?? 'on the PATH'}, ${new Date().toISOString().slice(0, 10)}`;
    const text = JSON.stringify({ _recorded: recorded, ...response }, null, 2).split(target.url).join(TARGET_URL);
    await writeFile(join(FIXTURES, name, 'response.json'), `${text}\n`);
    console.log(name, response.ok ? 'ok' : response.error);
  }
} finally {
  await bridge.close();
  await target.stop();
  await rm(dir, { recursive: true, force: true });
}
