// The GraphQL documents the workbench and the agent really send, read from their source files:
// every string or template literal that is an operation, its ${…} parts resolved from constants,
// imports and the functions' call sites (fetchAll's `connection` and `fields`, say). Workbench
// documents get the __typename fields urql adds before sending. A page that grows grows here too.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, visit, type FieldNode, type SelectionSetNode } from 'graphql';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENTS = { workbench: 'apps/workbench/src', agent: 'agent/src' } as const;

export interface RealDocument {
  client: keyof typeof CLIENTS;
  /** file:line of the literal */
  source: string;
  query: string;
}

/** Values for the parameters of functions whose call sites cannot be read (by function name). */
export type Bindings = Record<string, Record<string, string | number>[]>;

type Value = string | number;
type Fn = ts.FunctionLikeDeclaration;
/** Parameter values in force, keyed by the parameter's declaration; read when used. */
type Scope = Map<ts.ParameterDeclaration, (scope: Scope) => Value>;

class Unbound extends Error {
  constructor(readonly fn: Fn) {
    super('unbound parameter');
  }
}

const files = new Map<string, ts.SourceFile>();

function load(path: string): ts.SourceFile {
  let file = files.get(path);
  if (!file) {
    file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    files.set(path, file);
  }
  return file;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.(test|d)\.tsx?$/.test(e.name) ? [path] : [];
  });
}

const where = (node: ts.Node) => {
  const file = node.getSourceFile();
  return `${relative(ROOT, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
};

const nameOf = (fn: Fn): string | undefined =>
  fn.name && ts.isIdentifier(fn.name) ? fn.name.text : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;

type Declaration = ts.VariableDeclaration | ts.ParameterDeclaration | ts.FunctionDeclaration;

/** The declaration `name` refers to at `from`: a const, a function, a parameter, or an import's export. */
function declaration(name: string, from: ts.Node): Declaration | undefined {
  for (let n: ts.Node | undefined = from.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      const param = n.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (param) return param;
    }
    if (!ts.isBlock(n) && !ts.isSourceFile(n)) continue;
    for (const statement of n.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return statement;
      if (ts.isVariableStatement(statement)) {
        const found = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
        if (found) return found;
      }
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text.startsWith('.')) {
        const bindings = statement.importClause?.namedBindings;
        const spec = bindings && ts.isNamedImports(bindings) ? bindings.elements.find((e) => e.name.text === name) : undefined;
        if (spec) {
          const target = load(resolve(dirname(n.getSourceFile().fileName), statement.moduleSpecifier.text).replace(/(?<!\.tsx?)$/, '.ts'));
          return declaration((spec.propertyName ?? spec.name).text, target.statements[0]!);
        }
      }
    }
  }
  return undefined;
}

function evaluate(node: ts.Expression, scope: Scope): Value {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return evaluate(node.expression, scope);
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => String(evaluate(s.expression, scope)) + s.literal.text).join('');
  if (ts.isIdentifier(node)) {
    const decl = declaration(node.text, node);
    if (decl && ts.isParameter(decl)) {
      const value = scope.get(decl);
      if (!value) throw new Unbound(decl.parent as Fn);
      return value(scope);
    }
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return evaluate(decl.initializer, scope);
  }
  // Array.from({ length: n }, (_, i) => `…${i}…`).join(sep)
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'join') {
    const from = node.expression.expression;
    const [size, each] = ts.isCallExpression(from) && from.expression.getText() === 'Array.from' ? from.arguments : [];
    const length = size && ts.isObjectLiteralExpression(size) ? size.properties.find((p) => p.name?.getText() === 'length') : undefined;
    if (length && ts.isPropertyAssignment(length) && each && ts.isArrowFunction(each) && each.parameters[1] && !ts.isBlock(each.body)) {
      const n = Number(evaluate(length.initializer, scope));
      const body = each.body;
      const index = each.parameters[1];
      const items = Array.from({ length: n }, (_, i) => String(evaluate(body, new Map(scope).set(index, () => i))));
      return items.join(String(node.arguments[0] ? evaluate(node.arguments[0], scope) : ','));
    }
  }
  throw new Error(`cannot read ${node.getText()} at ${where(node)}: extend real-documents.ts or bind it`);
}

/** Every way `fn` is called: one scope per call site (or per binding given for it). */
function callScopes(fn: Fn, bindings: Bindings): Scope[] {
  const name = nameOf(fn);
  const given = name ? bindings[name] : undefined;
  if (given) {
    return given.map((values) => new Map(fn.parameters.filter((p) => ts.isIdentifier(p.name) && p.name.text in values).map((p) => [p, () => values[p.name.getText()]!])));
  }
  const calls: ts.CallExpression[] = [];
  const visitNode = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) {
      const decl = declaration(name, n.expression);
      if (decl === fn || (decl && ts.isVariableDeclaration(decl) && decl.initializer === fn)) calls.push(n);
    }
    ts.forEachChild(n, visitNode);
  };
  for (const file of files.values()) visitNode(file);
  if (calls.length === 0) throw new Error(`${name ?? 'a function'} (${where(fn)}) builds a document from its parameters but is never called: bind them`);
  return calls.map((call) => new Map(fn.parameters.map((p, i) => [p, (scope: Scope) => (call.arguments[i] ? evaluate(call.arguments[i], scope) : '')])));
}

/** The values `node` takes over every binding of the parameters it reads. */
function evaluateAll(node: ts.Expression, scope: Scope, bindings: Bindings, depth = 0): Value[] {
  try {
    return [evaluate(node, scope)];
  } catch (err) {
    if (!(err instanceof Unbound) || depth > 5) throw err;
    return callScopes(err.fn, bindings).flatMap((s) => evaluateAll(node, new Map([...scope, ...s]), bindings, depth + 1));
  }
}

const OPERATION = /^\s*(?:(?:query|mutation|subscription)\b[^]*\{|\{\s*[A-Za-z_])/;

/** urql's formatDocument: __typename in every selection set but the operation's own. */
export function withTypenames(query: string): string {
  const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
  const add = (set: SelectionSetNode): SelectionSetNode =>
    set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias) ? set : { ...set, selections: [...set.selections, typename] };
  return print(
    visit(parse(query), {
      Field: (n) => (n.selectionSet ? { ...n, selectionSet: add(n.selectionSet) } : undefined),
      InlineFragment: (n) => ({ ...n, selectionSet: add(n.selectionSet) }),
      FragmentDefinition: (n) => ({ ...n, selectionSet: add(n.selectionSet) }),
    }),
  );
}

/** Reads every operation of the workbench and the agent, as sent (throws on one it cannot read). */
export function realDocuments(bindings: Bindings = {}): RealDocument[] {
  const out = new Map<string, RealDocument>();
  for (const dir of Object.values(CLIENTS)) {
    for (const path of sourceFiles(join(ROOT, dir))) load(path);
  }
  // constants interpolated into other literals are pieces (FIELDS), not documents of their own
  const pieces = new Set<ts.Node>();
  const literals: ts.Expression[] = [];
  const collect = (n: ts.Node): void => {
    if (ts.isTemplateSpan(n) && ts.isIdentifier(n.expression)) {
      const decl = declaration(n.expression.text, n.expression);
      if (decl && !ts.isParameter(decl)) pieces.add(decl);
    }
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) {
      const skeleton = ts.isTemplateExpression(n) ? n.head.text + n.templateSpans.map((s) => '${}' + s.literal.text).join('') : n.text;
      if (OPERATION.test(skeleton)) literals.push(n);
    }
    ts.forEachChild(n, collect);
  };
  for (const file of [...files.values()]) collect(file);
  for (const literal of literals) {
    if (pieces.has(literal.parent)) continue;
    const path = literal.getSourceFile().fileName;
    const client = path.startsWith(join(ROOT, CLIENTS.agent)) ? 'agent' : 'workbench';
    for (const value of evaluateAll(literal, new Map(), bindings)) {
      const text = String(value);
      try {
        parse(text);
      } catch (err) {
        throw new Error(`${where(literal)} looks like a GraphQL operation but does not parse: ${(err as Error).message}`);
      }
      const query = client === 'workbench' ? withTypenames(text) : text;
      if (!out.has(query)) out.set(query, { client, source: where(literal), query });
    }
  }
  return [...out.values()];
}

/** The longest array literal given to `property` in a file (e.g. the most metrics one host chart draws). */
export function longestArray(path: string, property: string): number {
  let longest = 0;
  const visitNode = (n: ts.Node): void => {
    if (ts.isPropertyAssignment(n) && n.name.getText() === property && ts.isArrayLiteralExpression(n.initializer)) {
      longest = Math.max(longest, n.initializer.elements.length);
    }
    ts.forEachChild(n, visitNode);
  };
  visitNode(load(join(ROOT, path)));
  if (longest === 0) throw new Error(`no array literal for ${property} in ${path}`);
  return longest;
}
