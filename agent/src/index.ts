export { createAgent, backoffMs, AGENT_VERSION } from './agent.ts';
export { createTransport } from './transport.ts';
export { mockFleet, MockFleet } from './mock.ts';
export { collectSystem, hostFacts } from './collect.ts';
export { parseDuration } from './duration.ts';
