/** Parses "256MB", "1.5GiB", "512KB", "1048576" into bytes (K, M, G are powers of 1024); undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'B').toUpperCase().replace('IB', 'B') as 'B' | 'KB' | 'MB' | 'GB';
  const factor = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[unit];
  return Math.round(Number(match[1]) * factor);
}
