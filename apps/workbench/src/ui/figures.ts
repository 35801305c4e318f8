// Numbers and instants as people read them: "3 min ago", "1.4 GB", "12,345".

/** How long ago an instant was: "just now", "42 s ago", "3 min ago", "5 h ago", "2 d ago" (ahead: "in 3 min"). */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'never';
  const s = Math.round((now - t) / 1000);
  const abs = Math.abs(s);
  const span = abs < 5 ? '' : abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.floor(abs / 60)} min` : abs < 86_400 ? `${Math.floor(abs / 3600)} h` : `${Math.floor(abs / 86_400)} d`;
  if (!span) return 'just now';
  return s >= 0 ? `${span} ago` : `in ${span}`;
}

/** An instant in the reader's time zone, to the second. */
export function at(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Bytes with a binary unit: 0 B, 812 B, 1.4 KiB, 23 MiB, 1.2 GiB. */
export function bytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 || v >= 100 ? String(Math.round(v)) : v.toFixed(1);
  return `${n < 0 ? '-' : ''}${text} ${units[u]}`;
}

/** A count with thousands separators (en: 12,345). */
export const count = (n: number | null | undefined): string => (n == null || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en'));
