export * from './naming.ts';
export * from './ingest.ts';
export * from './selector.ts';
export * from './rule/index.ts';
export * from './scope.ts';
export * from './plugin/index.ts';
export * from './template/template.ts';
export * from './signing/index.ts';
