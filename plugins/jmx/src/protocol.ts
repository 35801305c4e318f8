// The line protocol between the agent and the Java bridge (java/EsmonJmxBridge.java), and the
// seam the plugin reads through: tests and recorded fixtures stand in for the real bridge there.

/** One MBean (an ObjectName, or a pattern such as `WebSphere:type=ThreadPool,*`) and its attribute paths. */
export interface JmxRead {
  mbean: string;
  /** `ThreadCount`, or `HeapMemoryUsage.used` for a CompositeData key */
  attributes: string[];
}

export interface JmxReadRequest {
  url: string;
  user?: string;
  /** the resolved secret: goes to the bridge's stdin only, never into an error or a log */
  password?: string;
  timeoutMs: number;
  reads: JmxRead[];
}

export interface JmxValue {
  /** the concrete ObjectName (a pattern's match) */
  mbean: string;
  /** its key properties, unquoted */
  props: Record<string, string>;
  attribute: string;
  /** the CompositeData key path, when the value came out of one */
  key?: string;
  value: number | string | boolean;
}

/** Something read but not turned into a value (TabularData, arrays, null). */
export interface JmxNote {
  mbean: string;
  attribute: string;
  note: string;
}

export interface JmxReadResponse {
  ok: boolean;
  values: JmxValue[];
  notes?: JmxNote[];
  /** every MBean or attribute that failed, named; the values read still count */
  error?: string;
  /** the bridge gave up on the request after its timeoutMs */
  timedOut?: boolean;
}

/** The seam: one read through whatever answers JMX (the bridge, or a fake in tests). */
export type ReadJmx = (request: JmxReadRequest, signal?: AbortSignal) => Promise<JmxReadResponse>;

export interface JmxTransport {
  read: ReadJmx;
  close(): Promise<void>;
}

/** No Java runtime or compiler on this host: the step is `unsupported`, not failed. */
export class JavaUnavailableError extends Error {
  override name = 'JavaUnavailableError';
}

/** The bridge did not answer in time (it, or the agent's abort signal, gave up). */
export class JmxTimeoutError extends Error {
  override name = 'JmxTimeoutError';
}
