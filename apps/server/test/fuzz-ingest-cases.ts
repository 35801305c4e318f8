// The generated request classes of fuzz-ingest.test.ts: per class, a fast-check generator (or a
// fixed list) of ingest requests, each marked valid (stored whole) or not (refused whole).
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { LABEL_KEY, METRIC_NAME, RESERVED_LABELS, ingestLimits, storableText } from '@esmon/schema';

export const SEED = 20261207;

/** One generated request: the body (object, or raw text/bytes), whether it is valid, its samples. */
export interface Case {
  body?: unknown;
  /** the body as sent; a function for the big ones, built when the case runs */
  raw?: string | Buffer | (() => string | Buffer);
  gzip?: boolean;
  headers?: Record<string, string>;
  valid: boolean;
  samples: number;
}

let seq = 0;
const nextHost = (cls: string) => `fuzz-${cls.toLowerCase()}-${++seq}`;
const batchId = () => `fuzz-batch-${process.pid}-${++seq}`;
const sample = (i: number, extra: Record<string, unknown> = {}) => ({
  metric: 'fuzz.value',
  ts: Date.now() - 1000 * (i + 1),
  value: i,
  ...extra,
});
const batch = (hosts: unknown[]) => ({ batchId: batchId(), hosts });
const host = (hostname: string, samples: unknown[], extra: Record<string, unknown> = {}) => ({
  hostname,
  samples,
  ...extra,
});
const validBatch = (cls: string, n = 2) =>
  batch([
    host(
      nextHost(cls),
      Array.from({ length: n }, (_, i) => sample(i)),
    ),
  ]);

const metricOk = (m: string) => m.length > 0 && m.length <= 200 && METRIC_NAME.test(m);
const labelKeyOk = (k: string) => k.length <= 100 && LABEL_KEY.test(k) && !RESERVED_LABELS.has(k);
const OBJECT_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'isPrototypeOf',
];
const NASTY = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil',
  '\r\n',
  '\\u0000',
  '\ufeff',
  '😀',
  'é\u0301',
  '\u0085',
  '%00',
  '\u001b[31m',
];
const UNICODE = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...NASTY));
const NUMBER_TEXT = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '-1e999',
    '-0',
    '0',
    '1e308',
    '-1e308',
    '5e-324',
    '9007199254740993',
    'null',
    'true',
    '"1"',
    '[]',
    '{}',
  ),
  fc.double().map((d) => JSON.stringify(d)),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
);

/** Each class: a generator of cases. A case marked valid must be stored whole; the rest refused whole. */
export const CLASSES: Record<string, { arb: fc.Arbitrary<Case>; runs: number } | { fixed: Case[] }> = {
  malformedJson: {
    runs: 100,
    arb: fc
      .oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.nat().map((cut) => {
          const text = JSON.stringify(validBatch('x'));
          return text.slice(0, cut % text.length);
        }),
        fc.constantFrom(
          '',
          '{',
          '{"batchId":',
          '[1,2',
          '{"a":1}}',
          "{'batchId':'x'}",
          '\u0000',
          '\ufeff{}',
          'undefined',
          '{"hosts":[,]}',
        ),
      )
      .map((raw) => ({ raw, valid: false, samples: 0 })),
  },
  badGzip: {
    runs: 100,
    arb: fc
      .oneof(
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
        fc.nat().map((cut) => {
          const gz = gzipSync(JSON.stringify(validBatch('x')));
          return gz.subarray(0, cut % gz.length);
        }),
        fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
          const gz = Buffer.from(gzipSync(JSON.stringify(validBatch('x'))));
          // a flipped byte in the magic, method, flags, deflate stream or trailer (bytes 4-9, the
          // mtime, extra flags and OS, are free for the sender to set, so they are skipped)
          const i = at % (gz.length - 6);
          const k = i < 4 ? i : i + 6;
          gz[k] = gz[k]! ^ xor;
          return gz;
        }),
      )
      .map((raw) => ({ raw, headers: { 'content-encoding': 'gzip' }, valid: false, samples: 0 })),
  },
  gzipBomb: {
    // 32 MiB + 1 KiB once decompressed, ~33 KB on the wire; the server's limit is ingestLimits.bodyBytes
    fixed: [' ', '0', '['].map((ch) => ({
      raw: () => gzipSync(`${ch.repeat(ingestLimits.bodyBytes + 1024)}${ch === ' ' ? '{}' : ''}`),
      headers: { 'content-encoding': 'gzip' },
      valid: false,
      samples: 0,
    })),
  },
  oddNumbers: {
    runs: 100,
    arb: fc.tuple(NUMBER_TEXT, fc.constantFrom('value', 'ts')).map(([text, field]) => {
      const b = validBatch('num', 1);
      const marker = '"__FUZZ__"';
      (b.hosts[0] as any).samples[0][field] = '__FUZZ__';
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const n = typeof parsed === 'number' ? parsed : Number.NaN;
      // a valid ts is whole and within the accepted window (24 h back by default): only now-ish values
      const valid = field === 'value' ? Number.isFinite(n) : false;
      return { raw: JSON.stringify(b).replace(marker, text), valid, samples: valid ? 1 : 0 };
    }),
  },
  hugeStrings: {
    runs: 40,
    arb: fc
      .tuple(
        fc.constantFrom('metric', 'labelValue', 'labelKey', 'hostname', 'batchId', 'version'),
        fc.integer({ min: 1, max: 200_000 }),
      )
      .map(([where, len]) => {
        const b = validBatch('huge', 1) as any;
        const long = 'a'.repeat(len);
        let valid = true;
        if (where === 'metric') {
          b.hosts[0].samples[0].metric = long;
          valid = len <= 200;
        }
        if (where === 'labelValue') {
          b.hosts[0].samples[0].labels = { k: long };
          valid = len <= 1024;
        }
        if (where === 'labelKey') {
          b.hosts[0].samples[0].labels = { [long]: 'v' };
          valid = len <= 100;
        }
        if (where === 'hostname') {
          b.hosts[0].hostname = `${b.hosts[0].hostname}${long}`;
          valid = b.hosts[0].hostname.length <= 253;
        }
        if (where === 'batchId') {
          b.batchId = `${b.batchId}${long}`;
          valid = b.batchId.length <= 128;
        }
        if (where === 'version') {
          b.agent = { version: long };
          valid = len <= 50;
        }
        return { body: b, valid, samples: valid ? 1 : 0 };
      }),
  },
  hugeLabelSets: {
    runs: 40,
    arb: fc.integer({ min: 0, max: 5000 }).map((n) => {
      const labels = Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, `v${i}`]));
      const b = validBatch('labels', 1) as any;
      b.hosts[0].samples[0].labels = labels;
      return { body: b, valid: n <= 32, samples: n <= 32 ? 1 : 0 };
    }),
  },
  deepNesting: {
    runs: 20,
    arb: fc
      .tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('labels', 'value', 'extra', 'hosts'))
      .map(([depth, where]) => {
        const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
        const b = validBatch('deep', 1) as any;
        const marker = '"__DEEP__"';
        if (where === 'labels') b.hosts[0].samples[0].labels = { k: '__DEEP__' };
        if (where === 'value') b.hosts[0].samples[0].value = '__DEEP__';
        if (where === 'extra') b.extra = '__DEEP__';
        if (where === 'hosts') b.hosts = '__DEEP__';
        // unknown keys are dropped, not refused: a deep value under one leaves a valid batch
        const valid = where === 'extra';
        return { raw: JSON.stringify(b).replace(marker, deep), valid, samples: valid ? 1 : 0 };
      }),
  },
  tooManySamples: {
    fixed: [
      { n: ingestLimits.samplesPerBatch + 1, hosts: 1, gzip: false },
      { n: ingestLimits.samplesPerBatch + 2, hosts: 2, gzip: true },
      { n: 1_000_000, hosts: 1, gzip: true },
      { n: 1_000_000, hosts: 1, gzip: false },
    ].map(({ n, hosts, gzip }) => ({
      raw: () => {
        const ts = Date.now() - 60_000;
        const per = n / hosts;
        const hostList = Array.from(
          { length: hosts },
          () =>
            `{"hostname":"${nextHost('many')}","samples":[${Array(per).fill(`{"metric":"m","ts":${ts},"value":1}`).join(',')}]}`,
        );
        return `{"batchId":"${batchId()}","hosts":[${hostList.join(',')}]}`;
      },
      gzip,
      valid: false,
      samples: 0,
    })),
  },
  wrongTypes: {
    runs: 100,
    arb: fc
      .tuple(
        fc.constantFrom(
          'batchId',
          'hosts',
          'host',
          'hostname',
          'samples',
          'sample',
          'metric',
          'ts',
          'value',
          'labels',
          'labelValue',
          'agent',
          'body',
        ),
        fc.anything(),
      )
      .filter(([where, v]) => {
        if (['batchId', 'hostname', 'metric', 'labelValue'].includes(where)) return typeof v !== 'string';
        if (['ts', 'value'].includes(where)) return typeof v !== 'number';
        if (['hosts', 'samples'].includes(where)) return !Array.isArray(v);
        if (where === 'labels')
          return (typeof v !== 'object' || v === null || Array.isArray(v)) && v !== undefined;
        return typeof v !== 'object' || v === null || Array.isArray(v);
      })
      .map(([where, v]) => {
        const b = validBatch('types', 1) as any;
        const s = b.hosts[0].samples[0];
        if (where === 'body') return { body: v, valid: false, samples: 0 };
        if (where === 'batchId' || where === 'hosts' || where === 'agent') b[where] = v;
        else if (where === 'host') b.hosts[0] = v;
        else if (where === 'hostname' || where === 'samples') b.hosts[0][where] = v;
        else if (where === 'sample') b.hosts[0].samples[0] = v;
        else if (where === 'labelValue') s.labels = { k: v };
        else s[where] = v;
        // JSON drops undefined (and functions): where that removes an optional field, the batch stays valid
        const optional = (where === 'labels' || where === 'agent') && JSON.stringify({ v }) === '{}';
        return { body: b, valid: optional, samples: optional ? 1 : 0 };
      }),
  },
  duplicateHosts: {
    runs: 30,
    arb: fc.tuple(fc.constantFrom(2, 2, 3, 50), fc.boolean()).map(([copies, sameCase]) => {
      const name = nextHost('dup');
      const hosts = Array.from({ length: copies }, (_, i) =>
        host(sameCase || i === 0 ? name : name.toUpperCase(), [sample(i)]),
      );
      return {
        body: batch(hosts),
        valid: !sameCase && copies === 2,
        samples: !sameCase && copies === 2 ? 2 : 0,
      };
    }),
  },
  unicodeNames: {
    runs: 120,
    arb: fc
      .tuple(UNICODE, UNICODE, UNICODE, fc.constantFrom('metric', 'labelKey', 'labelValue', 'hostLabel'))
      .map(([a, k, v, where]) => {
        const b = validBatch('uni', 1) as any;
        const s = b.hosts[0].samples[0];
        let valid = true;
        if (where === 'metric') {
          s.metric = `fuzz.${a}`;
          valid = metricOk(s.metric);
        }
        if (where === 'labelKey') {
          s.labels = { [k]: 'v' };
          valid = labelKeyOk(k);
        }
        // any Unicode is a fine label value, but for what PostgreSQL cannot store (NUL, lone surrogates)
        if (where === 'labelValue') {
          s.labels = { k: v };
          valid = storableText(v);
        }
        if (where === 'hostLabel') {
          const hk = k.slice(0, 100);
          b.hosts[0].labels = { [hk]: v };
          valid = storableText(hk) && storableText(v);
        }
        return { body: b, valid, samples: valid ? 1 : 0 };
      }),
  },
  prototypeKeys: {
    runs: 64,
    arb: fc
      .tuple(
        fc.constantFrom(...OBJECT_KEYS),
        fc.constantFrom('sampleLabel', 'hostLabel', 'sample', 'host', 'batch'),
      )
      .map(([key, where]) => {
        const b = validBatch('proto', 1) as any;
        const marker = '"__KEY__"';
        const set = (o: any) => (o.__KEY__ = { polluted: 'yes' });
        if (where === 'sampleLabel') b.hosts[0].samples[0].labels = { __KEY__: 'v' };
        if (where === 'hostLabel') b.hosts[0].labels = { __KEY__: 'v' };
        if (where === 'sample') set(b.hosts[0].samples[0]);
        if (where === 'host') set(b.hosts[0]);
        if (where === 'batch') set(b);
        // reserved label names are refused; other object keys are plain names; unknown fields are dropped
        const valid = where === 'sampleLabel' ? labelKeyOk(key) : true;
        return { raw: JSON.stringify(b).replace(marker, JSON.stringify(key)), valid, samples: valid ? 1 : 0 };
      }),
  },
};
