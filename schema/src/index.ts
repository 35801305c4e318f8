export * from './naming.ts';
export * from './ingest.ts';
