// zabbix_agent2 as the bench runs it: a minimal configuration in a temp dir (passive checks only,
// on 127.0.0.1), the passive-check protocol (one TCP connection per item, "ZBXD\x01" + length
// header), and the items a Zabbix server would poll every 10 s to match esmon's system collectors
// and its five probes. Filesystems and interfaces are discovered once, as a Zabbix server's
// low-level discovery would do, at a far lower rate than the items.
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';

const HEADER = Buffer.from('ZBXD\x01', 'latin1');
/** Zabbix's answer for an item it cannot read: this text, a NUL and the reason. */
const NOT_SUPPORTED = 'ZBX_NOTSUPPORTED';

/** Writes the configuration; zabbix_agent2 refuses ListenPort outside 1024–32767. */
export async function writeZabbixConfig(dir: string, port: number): Promise<string> {
  const file = join(dir, 'zabbix_agent2.conf');
  await writeFile(
    file,
    [
      'Server=127.0.0.1',
      'ServerActive=', // passive checks only: the bench is the server
      'ListenIP=127.0.0.1',
      `ListenPort=${port}`,
      'Hostname=bench',
      'LogType=console',
      `PidFile=${join(dir, 'zabbix_agent2.pid')}`,
      `ControlSocket=${join(dir, 'agent.sock')}`,
      `PluginSocket=${join(dir, 'agent.plugin.sock')}`,
      // the counterpart of esmon's command probe
      'AllowKey=system.run[*]',
      '',
    ].join('\n'),
  );
  return file;
}

/** One passive check: the item's value, or `{ unsupported }` with Zabbix's reason. */
export function zabbixGet(port: number, key: string, timeoutMs = 5000): Promise<{ value: string } | { unsupported: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`zabbix_agent2 did not answer ${key} within ${timeoutMs} ms`)));
    socket.on('connect', () => {
      const body = Buffer.from(key, 'utf8');
      const length = Buffer.alloc(8);
      length.writeUInt32LE(body.length, 0);
      socket.end(Buffer.concat([HEADER, length, body]));
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('end', () => {
      const answer = Buffer.concat(chunks);
      if (!answer.subarray(0, 4).equals(HEADER.subarray(0, 4))) return reject(new Error(`${key}: not a Zabbix answer: ${JSON.stringify(answer.toString())}`));
      const text = answer.subarray(13).toString('utf8');
      resolve(text.startsWith(NOT_SUPPORTED) ? { unsupported: text.slice(NOT_SUPPORTED.length + 1) } : { value: text });
    });
  });
}

/** The same pseudo file systems esmon's disk collector skips. */
const PSEUDO_FS = /^(tmpfs|devtmpfs|overlay|squashfs|proc|sysfs|cgroup2?|nsfs|autofs|ramfs|devpts|mqueue|debugfs|tracefs|securityfs|pstore|bpf|fusectl|configfs|binfmt_misc|hugetlbfs)$/i;

export interface ProbeTargets {
  serverPort: number;
  postgresPort: number;
  /** the command of esmon's command probe, run here through system.run */
  command: string[];
}

/** The items of one round: esmon's system collectors' counterparts, then its five probes'. */
export async function zabbixItems(port: number, targets: ProbeTargets): Promise<string[]> {
  const discover = async (key: string) => {
    const r = await zabbixGet(port, key);
    if ('unsupported' in r) throw new Error(`zabbix_agent2 ${key}: ${r.unsupported}`);
    return JSON.parse(r.value) as Record<string, string>[];
  };
  const mounts = [...new Set((await discover('vfs.fs.discovery')).filter((f) => !PSEUDO_FS.test(f['{#FSTYPE}']!)).map((f) => f['{#FSNAME}']!))];
  const ifaces = (await discover('net.if.discovery')).map((i) => i['{#IFNAME}']!).filter((i) => i !== 'lo');
  const cpuNum = await zabbixGet(port, 'system.cpu.num');
  const cores = 'value' in cpuNum ? Number(cpuNum.value) : 0;
  return [
    'system.uptime',
    'system.cpu.util',
    'system.cpu.util[,user]',
    'system.cpu.util[,system]',
    ...Array.from({ length: cores }, (_, i) => `system.cpu.util[${i}]`),
    'system.cpu.load[all,avg1]',
    'system.cpu.load[all,avg5]',
    'system.cpu.load[all,avg15]',
    'vm.memory.size[total]',
    'vm.memory.size[used]',
    'vm.memory.size[available]',
    'vm.memory.size[pused]',
    'system.swap.size[,total]',
    'system.swap.size[,used]',
    'system.swap.size[,pused]',
    ...mounts.flatMap((m) => [`vfs.fs.size[${m},total]`, `vfs.fs.size[${m},used]`, `vfs.fs.size[${m},pused]`]),
    'vfs.dev.read[,ops]',
    'vfs.dev.write[,ops]',
    'vfs.dev.read[,sps]',
    'vfs.dev.write[,sps]',
    ...ifaces.flatMap((i) => [`net.if.in[${i}]`, `net.if.out[${i}]`, `net.if.in[${i},errors]`, `net.if.out[${i},errors]`]),
    // the five probes
    `net.tcp.port[127.0.0.1,${targets.serverPort}]`,
    `web.page.perf[127.0.0.1,/healthz,${targets.serverPort}]`,
    `net.tcp.port[127.0.0.1,${targets.postgresPort}]`,
    `web.page.regexp[127.0.0.1,/metrics,${targets.serverPort},esmon_]`,
    `system.run[${targets.command.join(' ')}]`,
  ];
}
