// The esmon rule language: parse, check, format, draw and evaluate alert conditions such as
//   max(os.disk.used_pct{mount="/"}, "10m") >= 95 and not nodata(os.disk.used_pct, "10m")
export * from './ast.ts';
export { RuleSyntaxError } from './syntax-error.ts';
export { parseRule } from './parse.ts';
export * from './functions.ts';
export * from './windows.ts';
export * from './validate.ts';
export * from './format.ts';
export { compileRule, RuleCompileError } from './evaluate.ts';
export type { CompiledRule, RuleResult, RuleWindow } from './evaluate.ts';
export * from './graph.ts';
