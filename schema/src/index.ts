export * from './naming.ts';
export * from './ingest.ts';
export * from './selector.ts';
