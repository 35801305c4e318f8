// What a probe step plugin is: a manifest the workbench draws forms from (parameters as a zod
// schema with UI metadata, exported as JSON Schema), and three functions the agent calls:
// prepare (parameters → the exact command line, SQL or request, validated), execute (through
// injected transports) and check (a "Test connection" button).
import { z } from 'zod';
import type { SampleInput } from '../ingest.ts';

export const PLATFORMS = ['linux', 'windows'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const CATEGORIES = ['system', 'service', 'script', 'database', 'jvm', 'network'] as const;
export type Category = (typeof CATEGORIES)[number];

/** How the workbench edits a parameter. `monaco:*` opens the code editor in that language. */
export type Widget = 'text' | 'number' | 'checkbox' | 'select' | 'list' | 'keyvalue' | 'monaco:sql' | 'monaco:powershell' | 'monaco:wql';

/** UI metadata of one parameter, attached to its zod schema with `.meta()`. */
export interface ParamUi {
  label: string;
  help?: string;
  widget?: Widget;
  /** the value names a secret (`secret:NAME`), resolved on the agent; never shown or logged */
  secret?: boolean;
  /** show the field only when another parameter has one of these values */
  visibleWhen?: { param: string; equals: readonly (string | number | boolean)[] };
  placeholder?: string;
}

/** Declares a parameter with its UI metadata. */
export function param<T extends z.ZodType>(schema: T, ui: ParamUi): T {
  return schema.meta({ ui }) as T;
}

/** A reference to a secret held on the agent (its local config), never a value. */
export const SECRET_REF = /^secret:[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const secretRef = z.string().regex(SECRET_REF, 'a secret reference such as secret:db2_monitor (never the secret itself)');

export interface OutputSpec {
  /** metric name, or a pattern such as `wmi.<property>` */
  metric: string;
  description: string;
  unit?: string;
}

export interface PluginManifest<P extends z.ZodType = z.ZodType> {
  id: string;
  version: string;
  title: string;
  description: string;
  category: Category;
  platforms: readonly Platform[];
  /** runs user-written scripts or commands: off on an agent unless its own config allows it */
  runsScripts: boolean;
  params: P;
  outputs: readonly OutputSpec[];
}

export const STEP_STATUSES = ['ok', 'error', 'timeout', 'unsupported'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** What one step produced: samples directly, and/or rows for the probe's extraction. */
export interface StepResult {
  status: StepStatus;
  samples: SampleInput[];
  rows?: Record<string, unknown>[];
  /** the raw output (trimmed), for traces and extraction by regex or JSONPath */
  output?: string;
  error?: string;
  durationMs: number;
}

/** A child process run without a shell; the whole process tree is killed on timeout. */
export interface ProcessRequest {
  file: string;
  args: readonly string[];
  stdin?: string;
  timeoutMs: number;
  env?: Record<string, string>;
}

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export type RunProcess = (request: ProcessRequest) => Promise<ProcessResult>;

/** What the agent hands a step: its clock, its transports, its secrets. Function-typed seams. */
export interface StepContext {
  now(): number;
  timeoutMs: number;
  platform: Platform;
  signal: AbortSignal;
  run: RunProcess;
  /** resolves `secret:NAME` from the agent's own configuration; undefined when unknown */
  secret(ref: string): string | undefined;
}

export interface Plugin<P extends z.ZodType = z.ZodType, Prepared = unknown> {
  manifest: PluginManifest<P>;
  /** Parameters (already validated against manifest.params) → the exact request; throws on bad input. */
  prepare(params: z.infer<P>): Prepared;
  execute(prepared: Prepared, ctx: StepContext): Promise<StepResult>;
  /** A quick probe of reachability and credentials for the workbench's "Test connection". */
  check?(prepared: Prepared, ctx: StepContext): Promise<{ ok: boolean; message: string }>;
  /** releases long-lived resources (pools, bridges) when the agent stops or the plugin is unused */
  close?(): Promise<void>;
}

export class PluginParamsError extends Error {
  override name = 'PluginParamsError';
  constructor(
    readonly pluginId: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${pluginId}: ${issues.map((i) => `${i.path || 'params'}: ${i.message}`).join('; ')}`);
  }
}

/** Validates parameters against a manifest; throws PluginParamsError naming each field. */
export function parseParams<P extends z.ZodType>(manifest: PluginManifest<P>, params: unknown): z.infer<P> {
  const r = manifest.params.safeParse(params);
  if (r.success) return r.data;
  throw new PluginParamsError(
    manifest.id,
    r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

/** The manifest as the workbench reads it: parameters as JSON Schema with `ui` on each field. */
export function manifestJson(manifest: PluginManifest) {
  const { params, ...rest } = manifest;
  return { ...rest, params: z.toJSONSchema(params, { unrepresentable: 'any' }) };
}
