// The JMX plugin against real JVMs: a target with a stand-in WebSphere thread pool MBean, one with
// a password file, and the real bridge compiled from java/ into this run's temp folder.
import { mkdtemp, readdir, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StepResult } from '@esmon/schema';
import { formatSample, stepContext } from '@esmon/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JmxBridge } from '../src/bridge.ts';
import { bridgeClasses, shipBridgeClasses } from '../src/compile.ts';
import { createJmxPlugin, type JmxParamsInput, type JmxPlugin } from '../src/index.ts';
import { compileTarget, freePort, jmxUrl, startTarget, type JmxTarget } from './target.ts';

const SOURCE_DIR = fileURLToPath(new URL('../java/', import.meta.url));
const PASSWORD = 'Corr3ct-Horse-Battery';
const WRONG = 'Wr0ng-Staple-Guess';

let dir: string;
let target: JmxTarget;
let secured: JmxTarget;
let bridge: JmxBridge;
let jmx: JmxPlugin;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'esmon-jmx-test-'));
  compileTarget(dir);
  [target, secured] = await Promise.all([startTarget({ dir }), startTarget({ dir, users: { monitor: PASSWORD } })]);
  bridge = new JmxBridge({ cacheRoot: dir });
  jmx = createJmxPlugin({ transport: () => bridge });
  cleanups.push(() => jmx.close(), () => target.stop(), () => secured.stop());
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const ctx = stepContext({ secret: (ref) => ({ 'secret:jmx_monitor': PASSWORD, 'secret:jmx_wrong': WRONG })[ref] });

function run(params: Partial<JmxParamsInput>, plugin: JmxPlugin = jmx): Promise<StepResult> {
  return plugin.execute(plugin.prepare({ url: target.url, ...params }), ctx);
}

const lines = (r: StepResult) => r.samples.map(formatSample);

describe('jmx plugin against a real JVM', () => {
  it('compiles the bridge once into a cache folder named after its sources', async () => {
    const r = await run({ reads: [{ mbean: 'java.lang:type=Threading', attributes: ['ThreadCount'] }] });
    expect(r.status).toBe('ok');
    const cached = (await readdir(dir)).filter((f) => /^esmon-jmx-[0-9a-f]{16}$/.test(f));
    expect(cached).toHaveLength(1);
    expect(await readdir(join(dir, cached[0]!))).toContain('EsmonJmxBridge.class');
  });

  it('reads heap used through CompositeData, and the thread count', async () => {
    const r = await run({
      reads: [
        { mbean: 'java.lang:type=Memory', attributes: ['HeapMemoryUsage.used'] },
        { mbean: 'java.lang:type=Threading', attributes: ['ThreadCount'] },
      ],
    });
    expect(r).toMatchObject({ status: 'ok' });
    expect(r.error).toBeUndefined();
    const heap = r.samples.find((s) => s.metric === 'jmx.heapmemoryusage.used');
    expect(heap?.labels).toEqual({ type: 'Memory' });
    expect(heap?.value).toBeGreaterThan(0);
    const threads = r.samples.find((s) => s.metric === 'jmx.threadcount');
    expect(threads?.labels).toEqual({ type: 'Threading' });
    expect(threads?.value).toBeGreaterThan(0);
    expect(JSON.parse(r.output!)).toEqual({ HeapMemoryUsage: { used: heap!.value }, ThreadCount: threads!.value });
  });

  it('reads every MBean an ObjectName pattern matches, labelled by its key properties', async () => {
    const r = await run({
      reads: [{ mbean: 'WebSphere:type=ThreadPool,*', attributes: ['ActiveCount', 'PoolSize', 'Description'] }],
      metricPrefix: 'was.threadpool',
    });
    expect(r.status).toBe('ok');
    expect(lines(r)).toEqual([
      'was.threadpool.activecount{mbean_id="orb#1",name="ORB.thread.pool",process="MXServer",type="ThreadPool"} 1',
      'was.threadpool.poolsize{mbean_id="orb#1",name="ORB.thread.pool",process="MXServer",type="ThreadPool"} 10',
      'was.threadpool.activecount{name="WebContainer",process="MXServer",type="ThreadPool"} 3',
      'was.threadpool.poolsize{name="WebContainer",process="MXServer",type="ThreadPool"} 50',
    ]);
    // text is a row, not a sample
    expect(r.rows).toContainEqual({
      mbean: 'WebSphere:type=ThreadPool,name=WebContainer,process=MXServer',
      attribute: 'Description',
      value: 'pool of 50',
      name: 'WebContainer',
      process: 'MXServer',
      type: 'ThreadPool',
    });
  });

  it('opens a whole CompositeData attribute key by key and skips TabularData with a note', async () => {
    const r = await run({
      reads: [
        { mbean: 'java.lang:type=Memory', attributes: ['HeapMemoryUsage'] },
        { mbean: 'java.lang:type=Runtime', attributes: ['SystemProperties', 'VmName'] },
      ],
    });
    expect(r.status).toBe('ok');
    expect(r.samples.map((s) => s.metric)).toEqual([
      'jmx.heapmemoryusage.committed',
      'jmx.heapmemoryusage.init',
      'jmx.heapmemoryusage.max',
      'jmx.heapmemoryusage.used',
    ]);
    expect(r.rows).toContainEqual(expect.objectContaining({ attribute: 'VmName', value: expect.stringContaining('VM') }));
    expect(r.rows).toContainEqual({ mbean: 'java.lang:type=Runtime', attribute: 'SystemProperties', note: expect.stringContaining('TabularData') });
  });

  it('names an unknown MBean, a missing attribute and a missing key, and keeps what it could read', async () => {
    const r = await run({
      reads: [
        { mbean: 'WebSphere:type=ThreadPool,name=NoSuchPool', attributes: ['PoolSize'] },
        { mbean: 'java.lang:type=Threading', attributes: ['ThreadCount', 'ThreadCont'] },
        { mbean: 'java.lang:type=Memory', attributes: ['HeapMemoryUsage.usedd'] },
      ],
    });
    expect(r.status).toBe('error');
    expect(r.error).toContain('MBean not found: WebSphere:type=ThreadPool,name=NoSuchPool');
    expect(r.error).toContain('java.lang:type=Threading has no attribute ThreadCont');
    expect(r.error).toContain('java.lang:type=Memory HeapMemoryUsage has no key usedd');
    expect(r.samples.map((s) => s.metric)).toEqual(['jmx.threadcount']);
  });

  it('reports a pattern that matches nothing', async () => {
    const r = await run({ reads: [{ mbean: 'WebSphere:type=ConnectionPool,*', attributes: ['PoolSize'] }] });
    expect(r).toMatchObject({ status: 'error', error: 'jmx: no MBean matches WebSphere:type=ConnectionPool,*' });
  });

  it('reports a port nothing listens on as refused, before the timeout', async () => {
    const url = jmxUrl(await freePort());
    const r = await run({ url, timeoutMs: 5000 });
    expect(r.status).toBe('error');
    expect(r.error).toBe(`jmx: cannot connect to ${url}: Connection refused (ConnectException)`);
  });

  it('times out a slow attribute while other reads go on', async () => {
    const slow = run({ reads: [{ mbean: 'WebSphere:type=ThreadPool,name=WebContainer,*', attributes: ['SlowCount'] }], timeoutMs: 500 });
    const fast = run({ reads: [{ mbean: 'java.lang:type=Threading', attributes: ['ThreadCount'] }] });
    const [s, f] = await Promise.all([slow, fast]);
    expect(s).toMatchObject({ status: 'timeout', error: `jmx: no answer from ${target.url} within 500 ms` });
    expect(f.status).toBe('ok');
  });

  it('fails the requests of a killed bridge clearly, and starts a new one for the next', async () => {
    await run({});
    const first = bridge.pid!;
    const pending = run({ reads: [{ mbean: 'WebSphere:type=ThreadPool,name=WebContainer,*', attributes: ['SlowCount'] }] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(first, 'SIGKILL');
    const lost = await pending;
    expect(lost.status).toBe('error');
    expect(lost.error).toMatch(/^jmx: the JMX bridge was killed \(SIGKILL\) before answering.*the next request starts a new one$/);

    const next = await run({});
    expect(next.status).toBe('ok');
    expect(bridge.pid).toBeDefined();
    expect(bridge.pid).not.toBe(first);
  });

  it('check() connects and reports the uptime; a closed port is not ok', async () => {
    const ok = await jmx.check!(jmx.prepare({ host: '127.0.0.1', port: target.port }), ctx);
    expect(ok.ok).toBe(true);
    expect(ok.message).toContain(`connected to ${target.url}; the JVM has been up `);
    const bad = await jmx.check!(jmx.prepare({ url: jmxUrl(await freePort()) }), ctx);
    expect(bad).toMatchObject({ ok: false, message: expect.stringContaining('Connection refused') });
  });
});

describe('jmx authentication', () => {
  const read = [{ mbean: 'java.lang:type=Runtime', attributes: ['Uptime'] }];

  it('logs in with the password from the agent\'s secrets', async () => {
    const r = await run({ url: secured.url, user: 'monitor', password: 'secret:jmx_monitor', reads: read });
    expect(r.status).toBe('ok');
    expect(r.samples[0]?.metric).toBe('jmx.uptime');
  });

  it('refuses a wrong password without echoing it, even after the right one connected', async () => {
    const r = await run({ url: secured.url, user: 'monitor', password: 'secret:jmx_wrong', reads: read });
    expect(r.status).toBe('error');
    expect(r.error).toContain('authentication failed');
    expect(JSON.stringify(r)).not.toContain(WRONG);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  it('refuses to connect without credentials', async () => {
    const r = await run({ url: secured.url, reads: read });
    expect(r).toMatchObject({ status: 'error', error: expect.stringContaining('authentication failed') });
  });

  it('fails without asking the bridge when the agent lacks the secret', async () => {
    const r = await run({ url: secured.url, user: 'monitor', password: 'secret:jmx_unknown', reads: read });
    expect(r).toMatchObject({ status: 'error', error: 'jmx: the agent has no secret secret:jmx_unknown' });
  });
});

describe('the bridge process', () => {
  it('close() stops it; the next read starts another', async () => {
    const own = new JmxBridge({ cacheRoot: dir });
    const plugin = createJmxPlugin({ transport: () => own });
    cleanups.push(() => plugin.close());
    expect((await run({}, plugin)).status).toBe('ok');
    const pid = own.pid!;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await plugin.close();
    expect(own.pid).toBeUndefined();
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('is made by the plugin itself on first use when no transport is given', async () => {
    const plugin = createJmxPlugin({ bridge: { cacheRoot: dir } });
    cleanups.push(() => plugin.close());
    const r = await run({ reads: [{ mbean: 'java.lang:type=Runtime', attributes: ['Uptime'] }] }, plugin);
    expect(r.status).toBe('ok');
    expect(r.samples[0]?.value).toBeGreaterThan(0);
  });

  it('is unsupported without a Java compiler', async () => {
    const java = join(dir, 'no-jdk', 'bin', 'java');
    const plugin = createJmxPlugin({ bridge: { java, cacheRoot: join(dir, 'empty-cache') } });
    const r = await run({}, plugin);
    expect(r).toMatchObject({ status: 'unsupported', error: expect.stringContaining(`no Java compiler at "${join(dir, 'no-jdk', 'bin', 'javac')}"`) });
  });

  it('is unsupported without a Java runtime, even with the bridge compiled', async () => {
    const java = join(dir, 'no-jre', 'bin', 'java');
    const plugin = createJmxPlugin({ bridge: { java, cacheRoot: dir } });
    const r = await run({}, plugin);
    expect(r).toMatchObject({ status: 'unsupported', error: expect.stringContaining(`no Java runtime at "${java}"`) });
  });

  it('reports javac\'s diagnostics when the bridge does not compile', async () => {
    const broken = join(dir, 'broken-src');
    await cp(SOURCE_DIR, broken, { recursive: true });
    await writeFile(join(broken, 'EsmonJmxBridge.java'), 'public final class EsmonJmxBridge { int x = ; }\n');
    const plugin = createJmxPlugin({ transport: () => new JmxBridge({ sourceDir: broken, cacheRoot: join(dir, 'broken-cache') }) });
    const r = await run({}, plugin);
    expect(r.status).toBe('error');
    expect(r.error).toMatch(/^jmx: compiling the JMX bridge failed \(javac exit 1\):\n.*EsmonJmxBridge\.java:1: error: illegal start of expression/);
  });

  it('uses classes shipped next to the sources when their stamp matches', async () => {
    const shippedSrc = join(dir, 'shipped-src');
    await cp(SOURCE_DIR, shippedSrc, { recursive: true });
    await rm(join(shippedSrc, 'classes'), { recursive: true, force: true });
    const shipped = await shipBridgeClasses({ javac: 'javac', sourceDir: shippedSrc });
    expect(await bridgeClasses({ javac: 'javac', sourceDir: shippedSrc, cacheRoot: join(dir, 'unused-cache') })).toBe(shipped);
    const own = new JmxBridge({ sourceDir: shippedSrc, cacheRoot: join(dir, 'unused-cache') });
    cleanups.push(() => own.close());
    const plugin = createJmxPlugin({ transport: () => own });
    expect((await run({}, plugin)).status).toBe('ok');
    // changed sources no longer match the stamp: the classes are compiled again (here: no javac)
    await writeFile(join(shippedSrc, 'BridgeJson.java'), '// changed\n', { flag: 'a' });
    await expect(bridgeClasses({ javac: join(dir, 'no-javac'), sourceDir: shippedSrc, cacheRoot: join(dir, 'unused-cache') })).rejects.toThrow('no Java compiler');
  });
});
