// ConvertTo-Json output → samples. PowerShell prints one object for a single instance and an array
// for several (and nothing at all for none), so all three shapes are instances here.
import { isJsonObject, limits, numericValue, type SampleInput } from '@esmon/schema';
import { wmiMetric } from './manifest.ts';

export type WmiParsed = { samples: SampleInput[]; rows: Record<string, unknown>[] } | { error: string };

export interface WmiParseOptions {
  stdout: string;
  className: string;
  properties: readonly string[];
  labelProperties: readonly string[];
  ts: number;
}

function instancesOf(stdout: string): Record<string, unknown>[] | string {
  // a BOM, when a PowerShell host writes one, is not part of the JSON
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `PowerShell printed something that is not JSON (${(err as Error).message})`;
  }
  const list = Array.isArray(value) ? value : [value];
  if (!list.every(isJsonObject)) return 'expected CIM instances as JSON objects';
  return list;
}

/** JSON keys keep the class's casing (FreeSpace); parameters may use any casing, as WQL does. */
function lowerKeys(instance: Record<string, unknown>): Map<string, unknown> {
  return new Map(Object.entries(instance).map(([k, v]) => [k.toLowerCase(), v]));
}

function labelText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.slice(0, limits.labelValue);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function parseWmi({ stdout, className, properties, labelProperties, ts }: WmiParseOptions): WmiParsed {
  const instances = instancesOf(stdout);
  if (typeof instances === 'string') return { error: instances };
  const samples: SampleInput[] = [];
  const seen = new Set<string>();
  for (const instance of instances) {
    const byKey = lowerKeys(instance);
    const labels: Record<string, string> = {};
    for (const name of labelProperties) {
      const text = labelText(byKey.get(name.toLowerCase()));
      if (text !== undefined) labels[name.toLowerCase()] = text;
    }
    const identity = JSON.stringify(labels);
    if (seen.has(identity)) {
      return { error: `several instances have the labels ${identity}: add a label property that tells them apart, such as Name` };
    }
    seen.add(identity);
    for (const property of properties) {
      const value = numericValue(byKey.get(property.toLowerCase()));
      if (value !== undefined) samples.push({ metric: wmiMetric(className, property), value, ts, ...(labelProperties.length ? { labels } : {}) });
    }
  }
  if (instances.length > 0 && samples.length === 0) {
    return { error: `no value property (${properties.join(', ')}) held a number; the first instance is ${JSON.stringify(instances[0]).slice(0, 300)}` };
  }
  return { samples, rows: instances };
}
