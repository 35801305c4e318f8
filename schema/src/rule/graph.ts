// The visual builder's model: nodes joined by edges that point from a value to the input
// (`targetHandle`, the argument index) of the node using it. A rule is a graph with one root.
// graphToAst accepts any well-formed graph (formatting it always works); astToGraph draws every
// tree whose calls have the catalogue's shape, and text → graph → text keeps canonical text.
import type { LabelMatcher } from '../selector.ts';
import type { ArithmeticOp, ComparisonOp, Expr, LogicOp } from './ast.ts';
import { isArithmeticOp, isComparisonOp } from './ast.ts';
import type { ScalarFunction, WindowFunction } from './functions.ts';
import { findFunction } from './functions.ts';
import { numberText } from './format.ts';

export type GraphNode = { id: string } & (
  | { type: 'metric'; data: { metric: string; matchers: LabelMatcher[] } }
  /** Inputs: 0 the metric; 2 the percentile (a constant), for `percentile` only. */
  | { type: 'window'; data: { fn: WindowFunction; duration: string } }
  | { type: 'constant'; data: { value: number; raw?: string } }
  /** `neg` is the prefix minus, with one input. */
  | { type: 'arith'; data: { op: ArithmeticOp | 'neg' } }
  | { type: 'compare'; data: { op: ComparisonOp } }
  | { type: 'logic'; data: { op: LogicOp } }
  | { type: 'not'; data: Record<string, never> }
  /** Inputs: 0 the value; 1 the digits, for `round` only and optional. */
  | { type: 'scalar'; data: { fn: ScalarFunction } }
);
export type GraphNodeType = GraphNode['type'];

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** The argument index of the target that receives the source's value. */
  targetHandle: number;
}

export interface RuleGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A graph that is not one rule; `nodeId` names the node to highlight, when there is one. */
export class GraphError extends Error {
  override name = 'GraphError';
  constructor(
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
  }
}

/** Largest graph accepted, and largest tree a graph may expand to (shared nodes are copied). */
export const MAX_GRAPH_NODES = 500;
const MAX_EXPANDED_NODES = 2000;

/** The input handles of a node: which are required and which optional. */
export function inputHandles(node: GraphNode): { required: number[]; optional: number[] } {
  switch (node.type) {
    case 'metric':
    case 'constant':
      return { required: [], optional: [] };
    case 'window':
      return { required: node.data.fn === 'percentile' ? [0, 2] : [0], optional: [] };
    case 'arith':
      return { required: node.data.op === 'neg' ? [0] : [0, 1], optional: [] };
    case 'compare':
    case 'logic':
      return { required: [0, 1], optional: [] };
    case 'not':
      return { required: [0], optional: [] };
    case 'scalar':
      return { required: [0], optional: node.data.fn === 'round' ? [1] : [] };
  }
}

// --- tree → graph ---------------------------------------------------------------------------

class GraphBuilder {
  readonly graph: RuleGraph = { nodes: [], edges: [] };

  add(node: Omit<GraphNode, 'id'>, inputs: [number, Expr][]): string {
    const id = `n${this.graph.nodes.length}`;
    this.graph.nodes.push({ ...node, id } as GraphNode);
    for (const [handle, arg] of inputs) {
      const source = this.draw(arg);
      this.graph.edges.push({ id: `e${this.graph.edges.length}`, source, target: id, targetHandle: handle });
    }
    return id;
  }

  draw(e: Expr): string {
    switch (e.kind) {
      case 'number':
        return this.add({ type: 'constant', data: { value: e.value, raw: e.raw } }, []);
      case 'metric':
        return this.add({ type: 'metric', data: { metric: e.name, matchers: e.matchers } }, []);
      case 'string':
        throw new GraphError(`a string can only be drawn as the window of a window function`);
      case 'unary':
        if (e.op === 'not') return this.add({ type: 'not', data: {} }, [[0, e.operand]]);
        return this.add({ type: 'arith', data: { op: 'neg' } }, [[0, e.operand]]);
      case 'binary':
        if (isArithmeticOp(e.op))
          return this.add({ type: 'arith', data: { op: e.op } }, [
            [0, e.left],
            [1, e.right],
          ]);
        if (isComparisonOp(e.op))
          return this.add({ type: 'compare', data: { op: e.op } }, [
            [0, e.left],
            [1, e.right],
          ]);
        return this.add({ type: 'logic', data: { op: e.op } }, [
          [0, e.left],
          [1, e.right],
        ]);
      case 'call':
        return this.call(e);
    }
  }

  call(e: Expr & { kind: 'call' }): string {
    const f = findFunction(e.name);
    if (!f) throw new GraphError(`unknown function "${e.name}" cannot be drawn`);
    if (f.kind === 'scalar') {
      if (e.args.length < 1 || e.args.length > (f.name === 'round' ? 2 : 1)) {
        throw new GraphError(`${f.name} with ${e.args.length} arguments cannot be drawn`);
      }
      return this.add(
        { type: 'scalar', data: { fn: f.name as ScalarFunction } },
        e.args.map((a, i) => [i, a]),
      );
    }
    const [metric, duration, p, ...rest] = e.args;
    const wantsP = f.name === 'percentile';
    if (
      metric?.kind !== 'metric' ||
      duration?.kind !== 'string' ||
      rest.length > 0 ||
      (p !== undefined) !== wantsP
    ) {
      throw new GraphError(
        `${f.name}(…) can be drawn only as ${f.name}(metric, "duration"${wantsP ? ', p' : ''})`,
      );
    }
    const inputs: [number, Expr][] = p
      ? [
          [0, metric],
          [2, p],
        ]
      : [[0, metric]];
    return this.add(
      { type: 'window', data: { fn: f.name as WindowFunction, duration: duration.value } },
      inputs,
    );
  }
}

/** Draws a rule tree; throws GraphError for trees the builder cannot show (see GraphBuilder). */
export function astToGraph(ast: Expr): RuleGraph {
  const builder = new GraphBuilder();
  builder.draw(ast);
  return builder.graph;
}

// --- graph → tree ---------------------------------------------------------------------------

/** Incoming edges by target node and handle; refuses unknown nodes, handles and doubles. */
function indexInputs(graph: RuleGraph, byId: Map<string, GraphNode>): Map<string, Map<number, string>> {
  const inputs = new Map<string, Map<number, string>>();
  for (const edge of graph.edges) {
    const target = byId.get(edge.target);
    if (!target || !byId.has(edge.source)) {
      throw new GraphError(`edge ${edge.id} connects a node that does not exist`, target?.id ?? edge.source);
    }
    const { required, optional } = inputHandles(target);
    if (!required.includes(edge.targetHandle) && !optional.includes(edge.targetHandle)) {
      throw new GraphError(`${target.type} node ${target.id} has no input ${edge.targetHandle}`, target.id);
    }
    const slots = inputs.get(target.id) ?? new Map<number, string>();
    if (slots.has(edge.targetHandle)) {
      throw new GraphError(`input ${edge.targetHandle} of node ${target.id} is connected twice`, target.id);
    }
    slots.set(edge.targetHandle, edge.source);
    inputs.set(target.id, slots);
  }
  return inputs;
}

/** Throws on a cycle anywhere in the graph (Kahn's algorithm, no recursion). */
function assertAcyclic(graph: RuleGraph): void {
  const indegree = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (const e of graph.edges) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const ready = graph.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  let seen = 0;
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    seen++;
    for (const e of graph.edges) {
      if (e.source !== id) continue;
      const d = (indegree.get(e.target) ?? 0) - 1;
      indegree.set(e.target, d);
      if (d === 0) ready.push(e.target);
    }
  }
  if (seen < graph.nodes.length) {
    // Left over: the cycles and what they feed. Walking backwards |nodes| steps from any left-over
    // node through left-over sources ends inside a cycle: that node is the one to highlight.
    const left = (id: string) => (indegree.get(id) ?? 0) > 0;
    let id = graph.nodes.find((n) => left(n.id))?.id;
    for (let i = 0; i < graph.nodes.length && id !== undefined; i++) {
      const current: string = id;
      id = graph.edges.find((e) => e.target === current && left(e.source))?.source;
    }
    throw new GraphError('the graph has a cycle', id);
  }
}

const at = { start: 0, end: 0 };
const NODE_TYPES = new Set<string>([
  'metric',
  'window',
  'constant',
  'arith',
  'compare',
  'logic',
  'not',
  'scalar',
]);

/** The rule tree of a graph; throws GraphError on cycles, missing inputs or several roots. */
export function graphToAst(graph: RuleGraph): Expr {
  if (graph.nodes.length === 0) throw new GraphError('the graph is empty');
  if (graph.nodes.length > MAX_GRAPH_NODES)
    throw new GraphError(`a graph may have at most ${MAX_GRAPH_NODES} nodes`);
  const byId = new Map<string, GraphNode>();
  for (const n of graph.nodes) {
    if (!NODE_TYPES.has(n.type)) throw new GraphError(`node ${n.id} has an unknown type`, n.id);
    if (byId.has(n.id)) throw new GraphError(`two nodes have the id ${n.id}`, n.id);
    byId.set(n.id, n);
  }
  const inputs = indexInputs(graph, byId);
  assertAcyclic(graph);
  const used = new Set(graph.edges.map((e) => e.source));
  const roots = graph.nodes.filter((n) => !used.has(n.id));
  if (roots.length !== 1) {
    throw new GraphError(
      `the graph has ${roots.length} unconnected outputs (${roots.map((r) => r.id).join(', ')}); a rule has one`,
      roots[1]?.id,
    );
  }
  let budget = MAX_EXPANDED_NODES;
  const build = (node: GraphNode): Expr => {
    if (--budget < 0)
      throw new GraphError(`the graph expands to more than ${MAX_EXPANDED_NODES} nodes`, node.id);
    const slots = inputs.get(node.id);
    const input = (handle: number): Expr => {
      const source = slots?.get(handle);
      if (source === undefined)
        throw new GraphError(`input ${handle} of ${node.type} node ${node.id} is not connected`, node.id);
      return build(byId.get(source)!);
    };
    return nodeToExpr(node, input, (h) => slots?.has(h) ?? false);
  };
  return build(roots[0]!);
}

function nodeToExpr(
  node: GraphNode,
  input: (handle: number) => Expr,
  has: (handle: number) => boolean,
): Expr {
  switch (node.type) {
    case 'metric':
      return { kind: 'metric', name: node.data.metric, matchers: node.data.matchers, ...at };
    case 'constant': {
      const { value, raw } = node.data;
      if (!Number.isFinite(value))
        throw new GraphError(`constant ${node.id} is not a finite number`, node.id);
      const positive = {
        kind: 'number' as const,
        value: Math.abs(value),
        raw: value >= 0 && raw ? raw : numberText(Math.abs(value)),
        ...at,
      };
      return value < 0 ? { kind: 'unary', op: '-', operand: positive, ...at } : positive;
    }
    case 'window': {
      const args: Expr[] = [input(0), { kind: 'string', value: node.data.duration, ...at }];
      if (node.data.fn === 'percentile') args.push(input(2));
      return { kind: 'call', name: node.data.fn, args, ...at };
    }
    case 'arith':
      if (node.data.op === 'neg') return { kind: 'unary', op: '-', operand: input(0), ...at };
      return { kind: 'binary', op: node.data.op, left: input(0), right: input(1), ...at };
    case 'compare':
    case 'logic':
      return { kind: 'binary', op: node.data.op, left: input(0), right: input(1), ...at };
    case 'not':
      return { kind: 'unary', op: 'not', operand: input(0), ...at };
    case 'scalar':
      return { kind: 'call', name: node.data.fn, args: has(1) ? [input(0), input(1)] : [input(0)], ...at };
  }
}
