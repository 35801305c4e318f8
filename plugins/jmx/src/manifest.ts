// What the workbench and the server know about the JMX plugin: its parameters with UI metadata and
// its outputs. Importing this file never starts Java.
import { metricName, param, secretRef, type PluginManifest } from '@esmon/schema';
import { z } from 'zod';

/** service:jmx:<protocol>://…; the bridge's JMXServiceURL has the last word on the rest */
export const JMX_URL = /^service:jmx:[a-z][a-z0-9+.-]*:\/\/\S*$/;
const OBJECT_NAME = /^[^:\r\n]*:[^\r\n]+$/;
const ATTRIBUTE_PATH = /^[^.\r\n]+(\.[^.\r\n]+)*$/;

export const jmxReadSchema = z
  .object({
    mbean: z
      .string()
      .trim()
      .max(512)
      .regex(OBJECT_NAME, 'an ObjectName such as java.lang:type=Memory, or a pattern such as WebSphere:type=ThreadPool,*'),
    attributes: z
      .array(z.string().trim().max(256).regex(ATTRIBUTE_PATH, 'an attribute such as ThreadCount, or HeapMemoryUsage.used for a CompositeData key'))
      .min(1, 'name at least one attribute')
      .max(100),
  })
  .strict();

const DEFAULT_READS = [
  { mbean: 'java.lang:type=Memory', attributes: ['HeapMemoryUsage.used', 'HeapMemoryUsage.max'] },
  { mbean: 'java.lang:type=Threading', attributes: ['ThreadCount'] },
];

export const jmxParams = z
  .object({
    url: param(z.string().trim().max(1024).regex(JMX_URL, 'a JMX service URL such as service:jmx:rmi:///jndi/rmi://host:9999/jmxrmi').optional(), {
      label: 'JMX service URL',
      help: 'The full URL, e.g. `service:jmx:rmi:///jndi/rmi://host:9999/jmxrmi`; leave empty to give host and port instead.',
      placeholder: 'service:jmx:rmi:///jndi/rmi://maximo01:9999/jmxrmi',
    }),
    host: param(
      z
        .string()
        .trim()
        .max(253)
        .regex(/^[A-Za-z0-9_.:%-]+$/, 'a host name or IP address')
        .optional(),
      { label: 'Host', help: 'With port, stands for `service:jmx:rmi:///jndi/rmi://<host>:<port>/jmxrmi`.' },
    ),
    port: param(z.number().int().min(1).max(65_535).optional(), {
      label: 'Port',
      help: 'The JVM\'s `com.sun.management.jmxremote.port`.',
      widget: 'number',
    }),
    user: param(z.string().min(1).max(128).optional(), { label: 'User', help: 'A user of the JVM\'s `jmxremote.password` file, `readonly` in `jmxremote.access`; empty when authentication is off.' }),
    password: param(secretRef.optional(), {
      label: 'Password',
      help: 'Resolved from the agent\'s own secrets; never the password itself.',
      secret: true,
    }),
    reads: param(z.array(jmxReadSchema).min(1, 'name at least one MBean to read').max(50).default(DEFAULT_READS), {
      label: 'MBean reads',
      help: 'Each an ObjectName or a pattern (`WebSphere:type=ThreadPool,*`) and its attributes; `HeapMemoryUsage.used` reads one CompositeData key, `HeapMemoryUsage` all of them.',
      widget: 'list',
    }),
    metricPrefix: param(metricName.default('jmx'), {
      label: 'Metric prefix',
      help: 'Samples are named `<prefix>.<attribute path>`, e.g. `jmx.heapmemoryusage.used`.',
    }),
    timeoutMs: param(z.number().int().min(100).max(120_000).default(10_000), {
      label: 'Timeout (ms)',
      help: 'Connecting and reading together; the agent\'s step timeout caps it.',
      widget: 'number',
    }),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.url && (p.host || p.port)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'give a URL, or host and port, not both' });
    } else if (!p.url && !(p.host && p.port)) {
      ctx.addIssue({ code: 'custom', path: [p.host ? 'port' : 'url'], message: 'give a JMX service URL, or host and port' });
    }
    if (p.password && !p.user) ctx.addIssue({ code: 'custom', path: ['user'], message: 'a password needs a user' });
  });

export type JmxParams = z.infer<typeof jmxParams>;
export type JmxParamsInput = z.input<typeof jmxParams>;

export const jmxManifest: PluginManifest<typeof jmxParams> = {
  id: 'jmx',
  version: '1.0.0',
  title: 'JMX',
  description:
    'Reads MBean attributes of a Java VM over remote JMX (heap, threads, WebSphere thread pools, …) through a long-lived Java bridge on the agent.',
  category: 'jvm',
  platforms: ['linux', 'windows'],
  runsScripts: false,
  params: jmxParams,
  outputs: [
    {
      metric: '<metricPrefix>.<attribute path>',
      description:
        'One sample per numeric value, e.g. jmx.heapmemoryusage.used; labelled with the MBean\'s key properties (type, name, …). Text and booleans land in rows only.',
    },
  ],
};
