export { createAgent, AGENT_VERSION } from './agent.ts';
export { backoffMs, parseRetryAfter } from './backoff.ts';
export { openDiskBuffer, type BatchBuffer } from './buffer/disk-buffer.ts';
export { createTransport, createGzipSender, createHttpPost, classifyAnswer } from './transport.ts';
export { mockFleet, MockFleet } from './mock.ts';
export { createSystemCollector, hostFacts } from './system/index.ts';
export { parseDuration } from './duration.ts';
export { parseSize } from './size.ts';
