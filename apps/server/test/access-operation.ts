// The smallest valid operation for one root field, built from the schema, and how to read its answer
// as allowed or refused. Pothos runs an object type's auth rule on each of the type's own fields
// (not on __typename), so the selection reaches one real field of the returned type.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isRequiredArgument,
  isRequiredInputField,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/** The dummy of every String argument. */
export const DUMMY_STRING = 'x';
/** The dummy of every ID argument: no row has it, so a mutation finds nothing to change. */
export const DUMMY_ID = '999999999';

export interface FieldOperation {
  query: string;
  variables: Record<string, unknown>;
}

export interface OperationOptions {
  /** the instant every DateTime argument gets */
  now: Date;
  /** values that replace the dummies, by argument name (optional arguments included) */
  args?: Record<string, unknown>;
}

function dummyScalar(name: string, now: Date): unknown {
  switch (name) {
    case 'ID':
      return DUMMY_ID;
    case 'Int':
    case 'Float':
      return 1;
    case 'String':
      return DUMMY_STRING;
    case 'Boolean':
      return false;
    case 'DateTime':
      return now.toISOString();
    case 'JSON':
      return {};
    default:
      throw new Error(`no dummy value for the scalar ${name}: add one to dummyScalar in apps/server/test/access-operation.ts`);
  }
}

/** A value of the type: enums their first value, input objects their required fields, lists of one. */
export function dummyValue(type: GraphQLInputType, now: Date): unknown {
  if (isNonNullType(type)) return dummyValue(type.ofType, now);
  if (isListType(type)) return [dummyValue(type.ofType, now)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter(isRequiredInputField);
    return Object.fromEntries(required.map((f) => [f.name, dummyValue(f.type, now)]));
  }
  return dummyScalar(type.name, now);
}

const isLeafField = (f: GraphQLField<unknown, unknown>) => isLeafType(getNamedType(f.type)) && !f.args.some(isRequiredArgument);

/** `__typename` and one leaf field of an object type (its id when it has one); through a relay
 *  connection to its nodes. Leaf types select nothing. */
export function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const fields = named.getFields();
  const parts = ['__typename'];
  const leaf = fields.id && isLeafField(fields.id) ? fields.id : Object.values(fields).find(isLeafField);
  if (leaf) parts.push(leaf.name);
  const edges = fields.edges && getNamedType(fields.edges.type);
  const node = edges && isObjectType(edges) ? edges.getFields().node : undefined;
  if (node) parts.push(`edges { node ${selectionFor(node.type)} }`);
  return `{ ${parts.join(' ')} }`;
}

function rootType(schema: GraphQLSchema, kind: string): GraphQLObjectType | null | undefined {
  if (kind === 'Query') return schema.getQueryType();
  if (kind === 'Mutation') return schema.getMutationType();
  if (kind === 'Subscription') return schema.getSubscriptionType();
  return undefined;
}

/** Every root field as `Type.name`. */
export function rootFields(schema: GraphQLSchema): string[] {
  return ['Query', 'Mutation', 'Subscription'].flatMap((kind) => Object.keys(rootType(schema, kind)?.getFields() ?? {}).map((name) => `${kind}.${name}`));
}

/** The operation that uses `field` (e.g. `Mutation.deleteRule`) with its required arguments only. */
export function operationFor(schema: GraphQLSchema, field: string, { now, args = {} }: OperationOptions): FieldOperation {
  const [kind = '', name = ''] = field.split('.');
  const def = rootType(schema, kind)?.getFields()[name];
  if (!def) throw new Error(`${field} is not a root field of the schema`);
  const used = def.args.filter((a) => isRequiredArgument(a) || a.name in args);
  const variables = Object.fromEntries(used.map((a) => [a.name, a.name in args ? args[a.name] : dummyValue(a.type, now)]));
  const declared = used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = selectionFor(def.type);
  const query = `${kind.toLowerCase()}${declared ? ` (${declared})` : ''} { ${name}${passed ? `(${passed})` : ''}${selection ? ` ${selection}` : ''} }`;
  return { query, variables };
}

export interface AnswerError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: unknown };
}

/** The codes of a refusal: the caller may not use the field (whatever else is wrong). */
export const REFUSALS: readonly string[] = ['UNAUTHENTICATED', 'FORBIDDEN'];
/** The codes of an answer that got past the auth rules: the caller may use the field, but the dummy
 *  arguments name nothing, break a rule or clash with something. */
export const PAST_AUTH: readonly string[] = ['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT'];

/** 'value' when the field answered without an error; else the code of the error on the field, a
 *  refusal first (errors of the request as a whole, without a path, count too). */
export function outcomeOf(errors: readonly AnswerError[] | undefined, name: string): string {
  const mine = (errors ?? []).filter((e) => !e.path || e.path[0] === name);
  if (mine.length === 0) return 'value';
  const codes = mine.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : `no code: ${e.message}`));
  return codes.find((c) => REFUSALS.includes(c)) ?? codes[0]!;
}
