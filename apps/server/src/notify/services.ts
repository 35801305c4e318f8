// What the notification side needs from the server at large: the channel types, the secret box
// (its key loaded on first use, so a server that never stores a secret never makes secret.key),
// and the address of the workbench for links. Also the one place that opens and seals a stored
// channel, so the rest of the code holds whole configurations and never sealed text.
import type { ChannelType, Templates } from './channel.ts';
import { checkConfig, effectiveTemplates } from './channel-config.ts';
import { loadSecretKey, secretBox, type SecretBox } from './secret-box.ts';

export interface NotifyServices {
  types: readonly ChannelType[];
  typeOf(type: string): ChannelType | undefined;
  box(): Promise<SecretBox>;
  /** the workbench's base URL, without a trailing slash (known once the server listens) */
  publicUrl(): string;
  /** Tells the dispatcher a delivery is due now (set by whoever runs it). */
  wake(): void;
  onWake(fn: () => void): void;
}

export function createNotifyServices(options: { types: readonly ChannelType[]; secretKey?: string; dataDir: string; publicUrl: () => string }): NotifyServices {
  let box: Promise<SecretBox> | undefined;
  let waker = () => {};
  return {
    wake: () => waker(),
    onWake: (fn) => {
      waker = fn;
    },
    types: options.types,
    typeOf: (type) => options.types.find((t) => t.type === type),
    box: () => (box ??= loadSecretKey({ env: options.secretKey, dataDir: options.dataDir }).then(secretBox)),
    publicUrl: () => options.publicUrl().replace(/\/+$/, ''),
  };
}

/** A stored channel row as the database has it. */
export interface ChannelRow {
  id: number;
  name: string;
  type: string;
  config: unknown;
  secrets: string | null;
  templates: unknown;
  enabled: boolean;
}

/** A stored channel made whole: its type, its full configuration (secrets opened) and its templates. */
export interface OpenChannel {
  id: number;
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  templates: Templates;
  enabled: boolean;
}

export class ChannelUnavailableError extends Error {
  override name = 'ChannelUnavailableError';
}

export async function openChannel(notify: NotifyServices, row: ChannelRow): Promise<OpenChannel> {
  const type = notify.typeOf(row.type);
  if (!type) throw new ChannelUnavailableError(`channel "${row.name}" has type "${row.type}", which this server does not know`);
  const secrets = row.secrets ? ((await notify.box()).open(row.secrets) as Record<string, unknown>) : {};
  const config = checkConfig(type, { ...(row.config as Record<string, unknown>), ...secrets });
  return { id: row.id, name: row.name, type, config, templates: effectiveTemplates(type, (row.templates ?? {}) as Templates), enabled: row.enabled };
}
