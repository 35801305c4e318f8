// The WMI plugin: one CIM query on Windows (Get-CimInstance through PowerShell), its numeric
// properties as samples and chosen properties as labels.
import { metricName, param, RESERVED_LABELS, type PluginManifest } from '@esmon/schema';
import { z } from 'zod';
import { MAX_WQL, wqlClass, WqlError } from './wql.ts';

export const NAMESPACE = /^[A-Za-z0-9_]+(?:[/\\][A-Za-z0-9_]+)*$/;
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const propertyList = (what: string, min: number) =>
  z
    .array(z.string().regex(IDENTIFIER, `a ${what} property name such as FreeSpace`))
    .min(min, `name at least ${min} ${what} property`)
    .max(32, `at most 32 ${what} properties`);

export const wmiParams = z
  .object({
    namespace: param(z.string().max(256).regex(NAMESPACE, 'a namespace such as root/cimv2').default('root/cimv2'), {
      label: 'Namespace',
      help: 'the CIM namespace, e.g. root/cimv2, root/virtualization/v2',
    }),
    source: param(z.enum(['class', 'query']).default('class'), {
      label: 'Read',
      help: 'class: every instance of one class; query: a WQL query of your own',
      widget: 'select',
    }),
    className: param(z.string().regex(IDENTIFIER, 'a class name such as Win32_LogicalDisk').optional(), {
      label: 'Class',
      placeholder: 'Win32_PerfFormattedData_PerfOS_Processor',
      visibleWhen: { param: 'source', equals: ['class'] },
    }),
    // the 2000-character limit applies once line breaks are folded (wqlClass); this bounds the raw text
    query: param(z.string().max(MAX_WQL * 2).optional(), {
      label: 'WQL query',
      help: "SELECT … FROM Class [WHERE …], e.g. SELECT Name, State, ProcessId FROM Win32_Service WHERE StartMode = 'Auto'",
      widget: 'monaco:wql',
      visibleWhen: { param: 'source', equals: ['query'] },
    }),
    properties: param(propertyList('value', 1), {
      label: 'Value properties',
      help: 'numeric properties, one sample each: wmi.<class>.<property> (booleans count 1 / 0)',
      widget: 'list',
    }),
    labelProperties: param(propertyList('label', 0).default([]), {
      label: 'Label properties',
      help: 'properties that tell instances apart (Name, DeviceID), as labels named in lower case',
      widget: 'list',
    }),
  })
  .superRefine((p, ctx) => {
    let className = p.className;
    if (p.source === 'class' && !p.className) ctx.addIssue({ code: 'custom', path: ['className'], message: 'name the class to read' });
    if (p.source === 'query') {
      if (!p.query) ctx.addIssue({ code: 'custom', path: ['query'], message: 'write the query' });
      else {
        try {
          className = wqlClass(p.query);
        } catch (err) {
          if (!(err instanceof WqlError)) throw err;
          ctx.addIssue({ code: 'custom', path: ['query'], message: err.message });
        }
      }
    }
    const values = new Set(p.properties.map((v) => v.toLowerCase()));
    p.labelProperties.forEach((l, i) => {
      if (values.has(l.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['labelProperties', i], message: `${l} is a value property already` });
      if (RESERVED_LABELS.has(l.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['labelProperties', i], message: `${l.toLowerCase()} is a reserved label name` });
    });
    if (!className) return;
    p.properties.forEach((v, i) => {
      if (!metricName.safeParse(wmiMetric(className, v)).success) ctx.addIssue({ code: 'custom', path: ['properties', i], message: `${wmiMetric(className, v)}: too long for a metric name` });
    });
  });
export type WmiParams = z.infer<typeof wmiParams>;

/** `wmi.<class>.<property>`, lower case. */
export function wmiMetric(className: string, property: string): string {
  return `wmi.${className}.${property}`.toLowerCase();
}

export const wmiManifest: PluginManifest<typeof wmiParams> = {
  id: 'wmi',
  version: '1.0.0',
  title: 'WMI / CIM',
  description: 'Numeric properties of CIM instances on Windows (Get-CimInstance), with chosen properties as labels.',
  category: 'system',
  platforms: ['windows'],
  runsScripts: false,
  params: wmiParams,
  outputs: [{ metric: 'wmi.<class>.<property>', description: 'one sample per instance and value property; label properties as labels' }],
};
