// Signed probe definitions: the canonical text both the server (signs) and the agent (verifies) build.
export * from './canonical-json.ts';
export * from './probe-payload.ts';
