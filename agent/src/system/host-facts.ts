// What a host says about itself when it reports: OS, version, architecture, addresses. From Node's
// os module and, on Linux, /etc/os-release; nothing is spawned.
import { readFile } from 'node:fs/promises';
import { arch, networkInterfaces, platform, release, version } from 'node:os';

export interface HostFacts {
  os: string;
  osVersion: string;
  arch: string;
  ips: string[];
}

/** NAME and VERSION_ID of an os-release file ("Debian GNU/Linux 12"); undefined when it has neither. */
export function parseOsRelease(text: string): string | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields.set(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  const named = [fields.get('NAME'), fields.get('VERSION_ID')].filter(Boolean).join(' ');
  return named || undefined;
}

async function osVersion(): Promise<string> {
  if (platform() === 'linux') {
    for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
      const named = parseOsRelease(await readFile(file, 'utf8').catch(() => ''));
      if (named) return named;
    }
    return `Linux ${release()}`;
  }
  // Windows: "Windows Server 2019 Datacenter 10.0.17763"; macOS: the Darwin kernel's version
  return `${version()} ${release()}`.trim();
}

export async function hostFacts(): Promise<HostFacts> {
  const ips = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((n) => !n.internal)
    .map((n) => n.address)
    .slice(0, 16);
  return { os: platform(), osVersion: await osVersion(), arch: arch(), ips };
}
