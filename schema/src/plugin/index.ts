// Probe step plugins and probe definitions: the contract between plugins, the agent, the server
// and the workbench.
export * from './manifest.ts';
export * from './probe.ts';
export * from './transform.ts';
export * from './json-path.ts';
export * from './step-output.ts';
export * from './readme.ts';
export * from './network-error.ts';
