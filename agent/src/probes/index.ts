// The agent's probes: what agent.ts and cli.ts wire in, and what the workbench's "run now" needs.
export { createProbeAgent, currentPlatform, type ProbeAgent, type ProbeAgentOptions } from './probe-agent.ts';
export { createSampleInbox, type SampleInbox } from './sample-inbox.ts';
export type { ProbeLog } from './probe-log.ts';
export type { ProbeTrace, StepTrace } from './trace.ts';
export type { AllowPolicy, RefusalReason } from './allow.ts';
