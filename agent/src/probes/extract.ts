// What a probe run yields as samples: every step's own samples as they are, then each extraction
// of the definition (a row column, a JSONPath into JSON output, a regex over text output) with its
// transform. Pure, the time given. Whatever cannot become a valid sample is dropped and named in
// `problems`: one bad sample in an ingest batch would make the server refuse the whole batch, and
// the run's trace is where an analyst looks for why a metric is missing.
import {
  canonicalLabels,
  compileTransform,
  jsonPathMatches,
  numericValue,
  parseNumber,
  sampleInput,
  type Extraction,
  type LabelSource,
  type ProbeDefinition,
  type SampleInput,
  type StepResult,
} from '@esmon/schema';

export interface ExtractedSamples {
  samples: SampleInput[];
  /** one line per value or extraction that gave no sample, at most MAX_PROBLEMS (then a count) */
  problems: string[];
}

const MAX_PROBLEMS = 50;

/** A value found in a step's result, before labels and transform; `where` names it in problems. */
interface Found {
  value: number;
  where: string;
  /** what labels may read beside the value: its row, its regex match, the object holding it */
  row?: Record<string, unknown>;
  match?: RegExpMatchArray;
  parent?: Record<string, unknown>;
}

type Finding = { found: Found[]; problems: string[] };

function fromColumn(column: string, result: StepResult): Finding {
  if (!result.rows) return { found: [], problems: ['the step returned no rows'] };
  const found: Found[] = [];
  const problems: string[] = [];
  result.rows.forEach((row, i) => {
    const where = `row ${i + 1}`;
    if (!Object.hasOwn(row, column)) {
      problems.push(
        `${where}: no column "${column}" (it has ${Object.keys(row).slice(0, 10).join(', ') || 'no columns'})`,
      );
      return;
    }
    const value = numericValue(row[column]);
    if (value === undefined) problems.push(`${where}: ${describe(row[column])} is not a finite number`);
    else found.push({ value, where, row });
  });
  return { found, problems };
}

function fromJsonPath(path: string, output: string | undefined): Finding {
  if (output === undefined) return { found: [], problems: ['the step gave no output'] };
  let doc: unknown;
  try {
    doc = JSON.parse(output);
  } catch (err) {
    return { found: [], problems: [`the output is not JSON: ${(err as Error).message}`] };
  }
  const matches = jsonPathMatches(doc, path);
  if (matches.length === 0) return { found: [], problems: [`${path} matched nothing`] };
  const found: Found[] = [];
  const problems: string[] = [];
  matches.forEach((m, i) => {
    const value = numericValue(m.value);
    if (value === undefined) problems.push(`match ${i + 1}: ${describe(m.value)} is not a finite number`);
    else found.push({ value, where: `match ${i + 1}`, ...(m.parent ? { parent: m.parent } : {}) });
  });
  return { found, problems };
}

/**
 * Every match of the pattern. `m` is always on: command output comes in lines, and JavaScript has
 * no inline flags to ask for it. The workbench must test patterns with the same flags.
 */
function fromRegex(pattern: string, group: number, output: string | undefined): Finding {
  if (output === undefined) return { found: [], problems: ['the step gave no output'] };
  const matches = [...output.matchAll(new RegExp(pattern, 'gm'))];
  if (matches.length === 0) return { found: [], problems: ['the pattern matched nothing'] };
  if (matches[0]!.length <= group) return { found: [], problems: [`the pattern has no group ${group}`] };
  const found: Found[] = [];
  const problems: string[] = [];
  matches.forEach((m, i) => {
    const text = m[group];
    const value = text === undefined ? undefined : parseNumber(text);
    if (value === undefined)
      problems.push(
        `match ${i + 1}: ${text === undefined ? `group ${group} took no part` : describe(text)} is not a number`,
      );
    else found.push({ value, where: `match ${i + 1}`, match: m });
  });
  return { found, problems };
}

function find(x: Extraction, result: StepResult): Finding {
  switch (x.from.kind) {
    case 'column':
      return fromColumn(x.from.column, result);
    case 'jsonPath':
      return fromJsonPath(x.from.path, result.output);
    case 'regex':
      return fromRegex(x.from.pattern, x.from.group, result.output);
  }
}

/** What one label source reads beside a value, named for problems; undefined: it is not there. */
function labelInput(source: Exclude<LabelSource, string>, f: Found): { what: string; value: unknown } {
  const own = (o: Record<string, unknown> | undefined, k: string) => (o && Object.hasOwn(o, k) ? o[k] : undefined);
  if ('column' in source) return { what: `column "${source.column}"`, value: own(f.row, source.column) };
  if ('key' in source) return { what: `key "${source.key}" beside the value`, value: own(f.parent, source.key) };
  const g = source.group;
  const value = typeof g === 'number' ? f.match?.[g] : f.match?.groups && Object.hasOwn(f.match.groups, g) ? f.match.groups[g] : undefined;
  return { what: `group ${typeof g === 'number' ? g : `"${g}"`}`, value };
}

/** The labels of one value: fixed texts, and what each label source reads beside it. */
function labelsOf(x: Extraction, f: Found): { labels: Record<string, string> } | { problem: string } {
  const labels: Record<string, string> = {};
  for (const [key, source] of Object.entries(x.labels)) {
    if (typeof source === 'string') {
      labels[key] = source;
      continue;
    }
    const { what, value: v } = labelInput(source, f);
    if (typeof v === 'string') labels[key] = v;
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || typeof v === 'bigint')
      labels[key] = String(v);
    else
      return {
        problem: `label ${key}: ${what} is ${v === undefined ? 'missing' : describe(v)}, not a label value`,
      };
  }
  return { labels };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

/** The innermost message: zod reports a bad record key as "Invalid key in record" around the reason. */
function messageOf(issue: { message: string; issues?: unknown }): string {
  const inner = Array.isArray(issue.issues)
    ? (issue.issues[0] as { message: string; issues?: unknown } | undefined)
    : undefined;
  return inner ? messageOf(inner) : issue.message;
}

/** The sample as the server would take it, or why it would not. */
function checked(sample: SampleInput): { sample: SampleInput } | { problem: string } {
  if (typeof sample.value !== 'number' || !Number.isFinite(sample.value))
    return { problem: `${describe(sample.value)} is not a finite number` };
  const r = sampleInput.safeParse(sample);
  if (r.success) return { sample: r.data };
  const issue = r.error.issues[0]!;
  return { problem: `${issue.path.map(String).join('.') || 'sample'}: ${messageOf(issue)}` };
}

function extractOne(
  x: Extraction,
  result: StepResult,
  ts: number,
): { samples: SampleInput[]; problems: string[] } {
  let transform: (v: number) => number = (v) => v;
  try {
    if (x.transform !== undefined) transform = compileTransform(x.transform);
    const { found, problems } = find(x, result);
    const samples: SampleInput[] = [];
    for (const f of found) {
      const value = transform(f.value);
      if (!Number.isFinite(value)) {
        problems.push(`${f.where}: ${f.value} became ${value} through the transform`);
        continue;
      }
      const l = labelsOf(x, f);
      if ('problem' in l) {
        problems.push(`${f.where}: ${l.problem}`);
        continue;
      }
      const c = checked({
        metric: x.metric,
        value,
        ts,
        ...(Object.keys(l.labels).length ? { labels: l.labels } : {}),
      });
      if ('problem' in c) problems.push(`${f.where}: ${c.problem}`);
      else samples.push(c.sample);
    }
    return { samples, problems };
  } catch (err) {
    // a definition that slipped past validation (an older server, a hand-edited cache)
    return { samples: [], problems: [(err as Error).message] };
  }
}

const seriesOf = (s: SampleInput) => `${s.metric}{${canonicalLabels(s.labels ?? {})}}`;

/**
 * Samples of one probe run. Extraction reads only steps whose status is ok; every step's own
 * samples count whatever its status (a plugin may report `tcp.up 0` with an error). One value per
 * series and run: when two values land on one series (a `[*]` path without a distinguishing
 * label), the first is kept and the rest reported.
 */
export function extractSamples(
  definition: Pick<ProbeDefinition, 'steps' | 'extract'>,
  results: ReadonlyMap<string, StepResult>,
  ts: number,
): ExtractedSamples {
  const samples: SampleInput[] = [];
  const problems: string[] = [];
  const series = new Set<string>();
  const keep = (s: SampleInput, prefix: string) => {
    const key = seriesOf(s);
    if (series.has(key)) problems.push(`${prefix}: a second value for ${key}; the first is kept`);
    else {
      series.add(key);
      samples.push(s);
    }
  };

  for (const step of definition.steps) {
    for (const s of results.get(step.id)?.samples ?? []) {
      const c = checked(s);
      if ('problem' in c) problems.push(`step "${step.id}" sample ${s.metric}: ${c.problem}`);
      else keep(c.sample, `step "${step.id}"`);
    }
  }
  definition.extract.forEach((x, i) => {
    const result = results.get(x.step);
    if (result?.status !== 'ok') return; // the step's own status already tells why
    const prefix = `extract[${i}] ${x.metric} from step "${x.step}"`;
    const out = extractOne(x, result, ts);
    for (const p of out.problems) problems.push(`${prefix}: ${p}`);
    for (const s of out.samples) keep(s, prefix);
  });

  if (problems.length <= MAX_PROBLEMS) return { samples, problems };
  return {
    samples,
    problems: [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more problems`],
  };
}
