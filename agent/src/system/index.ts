// The host's own metrics: CPU, memory, file systems, disk and network I/O, uptime. Linux reads
// /proc (linux.ts); other platforms go through systeminformation (portable.ts).
import type { HostInput, SampleInput } from '@esmon/schema';
import { createLinuxCollector } from './linux.ts';
import { createPortableCollector } from './portable.ts';
import type { HostFacts } from './host-facts.ts';
import type { SystemCollector } from './types.ts';

export { hostFacts, type HostFacts } from './host-facts.ts';
export type { CollectFailure, SystemCollector } from './types.ts';

export function createSystemCollector(platform: NodeJS.Platform = process.platform): SystemCollector {
  return platform === 'linux' ? createLinuxCollector() : createPortableCollector();
}

export function hostInput(hostname: string, facts: HostFacts, samples: SampleInput[]): HostInput {
  return { hostname, ...facts, samples };
}
