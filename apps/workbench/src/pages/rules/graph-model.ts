// The builder's model and the decisions that keep it and the text in step: the graph always
// yields text when it is complete; text redraws the graph when the builder can draw it, keeping
// the analyst's node ids and positions where the shape did not change. No React, no DOM.
import {
  astToGraph,
  formatRule,
  GraphError,
  graphToAst,
  inputHandles,
  validateRule,
  type GraphEdge,
  type GraphNode,
  type GraphNodeType,
  type RuleGraph,
} from '@esmon/schema';
import { COLUMN, layoutGraph, ROW, rootOf, type XY } from './flow-layout.ts';

export interface EditorGraph {
  graph: RuleGraph;
  positions: Record<string, XY>;
}

export const EMPTY_GRAPH: EditorGraph = { graph: { nodes: [], edges: [] }, positions: {} };

/** The text a graph stands for ('' for an empty graph), or why it stands for none yet. */
export function graphText(graph: RuleGraph): { text: string } | { error: string; nodeId?: string } {
  if (graph.nodes.length === 0) return { text: '' };
  try {
    return { text: formatRule(graphToAst(graph)) };
  } catch (err) {
    if (err instanceof GraphError) return { error: err.message, nodeId: err.nodeId };
    throw err;
  }
}

export type TextSync =
  /** the graph already shows this text */
  | { kind: 'same' }
  | { kind: 'draw'; model: EditorGraph }
  /** the text does not parse: the graph keeps what it showed, read-only until the text is fixed */
  | { kind: 'unparsable'; reason: string }
  /** it parses, but the builder cannot draw it: edited as text */
  | { kind: 'undrawable'; reason: string };

/** What typed text means for the graph. */
export function syncFromText(text: string, current: EditorGraph): TextSync {
  if (text.trim() === '') return current.graph.nodes.length === 0 ? { kind: 'same' } : { kind: 'draw', model: EMPTY_GRAPH };
  const { ast, diagnostics } = validateRule(text, { expect: 'condition-or-value' });
  if (!ast) return { kind: 'unparsable', reason: diagnostics[0]?.message ?? 'the text does not parse' };
  const shown = graphText(current.graph);
  if ('text' in shown && shown.text === formatRule(ast)) return { kind: 'same' };
  let drawn: RuleGraph;
  try {
    drawn = astToGraph(ast);
  } catch (err) {
    if (err instanceof GraphError) return { kind: 'undrawable', reason: err.message };
    throw err;
  }
  return { kind: 'draw', model: carryOver(current, drawn) };
}

/**
 * A freshly drawn graph with the old graph's ids and positions for the nodes that take the same
 * place (paired from the result backwards, input by input, while the node types agree). When
 * every node found its pair the old positions stay; otherwise the whole graph is laid out again.
 */
export function carryOver(prev: EditorGraph, next: RuleGraph): EditorGraph {
  const pairs = new Map<string, string>();
  const used = new Set<string>();
  const prevRoot = rootOf(prev.graph);
  const nextRoot = rootOf(next);
  const byIdPrev = new Map(prev.graph.nodes.map((n) => [n.id, n]));
  const byIdNext = new Map(next.nodes.map((n) => [n.id, n]));
  const walk = (p: string, n: string) => {
    if (pairs.has(n) || used.has(p) || byIdPrev.get(p)?.type !== byIdNext.get(n)?.type) return;
    pairs.set(n, p);
    used.add(p);
    const handles = (g: RuleGraph, id: string) => new Map(g.edges.filter((e) => e.target === id).map((e) => [e.targetHandle, e.source]));
    const prevIns = handles(prev.graph, p);
    for (const [h, src] of handles(next, n)) {
      const old = prevIns.get(h);
      if (old !== undefined) walk(old, src);
    }
  };
  if (prevRoot && nextRoot) walk(prevRoot.id, nextRoot.id);
  const fresh = freshIds(prev.graph);
  const rename = new Map(next.nodes.map((n) => [n.id, pairs.get(n.id) ?? fresh()]));
  const graph: RuleGraph = {
    nodes: next.nodes.map((n) => ({ ...n, id: rename.get(n.id)! }) as GraphNode),
    edges: next.edges.map((e, i) => ({ ...e, id: `e${i}`, source: rename.get(e.source)!, target: rename.get(e.target)! })),
  };
  const allPaired = pairs.size === next.nodes.length && next.nodes.every((n) => prev.positions[pairs.get(n.id)!]);
  const positions = allPaired ? Object.fromEntries(graph.nodes.map((n) => [n.id, prev.positions[n.id]!])) : layoutGraph(graph);
  return { graph, positions };
}

/** An id maker that never repeats an id of `graph`. */
function freshIds(graph: RuleGraph): () => string {
  let n = 0;
  const taken = new Set(graph.nodes.map((x) => x.id));
  return () => {
    while (taken.has(`n${n}`)) n++;
    taken.add(`n${n}`);
    return `n${n}`;
  };
}

/** What a node from the palette starts as. */
export function newNodeOf(type: GraphNodeType, id: string): GraphNode {
  switch (type) {
    case 'metric':
      return { id, type, data: { metric: '', matchers: [] } };
    case 'window':
      return { id, type, data: { fn: 'avg', duration: '5m' } };
    case 'constant':
      return { id, type, data: { value: 0, raw: '0' } };
    case 'arith':
      return { id, type, data: { op: '+' } };
    case 'compare':
      return { id, type, data: { op: '>' } };
    case 'logic':
      return { id, type, data: { op: 'and' } };
    case 'not':
      return { id, type, data: {} };
    case 'scalar':
      return { id, type, data: { fn: 'abs' } };
  }
}

/**
 * Adds a node from the palette. When a node is selected, it feeds the new node's first input
 * (metric → window → comparison …); a comparison also gets a number on its right side.
 */
export function addNode(model: EditorGraph, type: GraphNodeType, selectedId?: string): { model: EditorGraph; id: string } {
  const fresh = freshIds(model.graph);
  const id = fresh();
  const node = newNodeOf(type, id);
  const nodes = [...model.graph.nodes, node];
  const edges = [...model.graph.edges];
  const positions = { ...model.positions };
  const selected = selectedId ? model.graph.nodes.find((n) => n.id === selectedId) : undefined;
  const at = selected && positions[selected.id];
  const lowest = Math.max(-ROW, ...Object.values(positions).map((p) => p.y));
  positions[id] = at ? { x: at.x + COLUMN, y: at.y } : { x: 0, y: lowest + ROW };
  if (selected && inputHandles(node).required.includes(0) && accepts(node, selected)) {
    edges.push(edgeOf(edges, selected.id, id, 0));
  }
  if (type === 'compare') {
    const c = fresh();
    nodes.push(newNodeOf('constant', c));
    edges.push(edgeOf(edges, c, id, 1));
    positions[c] = { x: positions[id]!.x - COLUMN, y: positions[id]!.y + ROW };
  }
  return { model: { graph: { nodes, edges }, positions }, id };
}

/** Whether `source` may feed input 0 of `target` as the builder chains them. */
function accepts(target: GraphNode, source: GraphNode): boolean {
  if (target.type === 'window') return source.type === 'metric';
  return source.type !== 'metric';
}

function edgeOf(edges: GraphEdge[], source: string, target: string, targetHandle: number): GraphEdge {
  let i = edges.length;
  while (edges.some((e) => e.id === `e${i}`)) i++;
  return { id: `e${i}`, source, target, targetHandle };
}

/** Connects `source` into input `handle` of `target`, replacing what fed that input; or why not. */
export function connect(graph: RuleGraph, source: string, target: string, handle: number): RuleGraph | string {
  const t = graph.nodes.find((n) => n.id === target);
  if (!t || !graph.nodes.some((n) => n.id === source)) return 'no such node';
  if (source === target) return 'a node cannot feed itself';
  const { required, optional } = inputHandles(t);
  if (!required.includes(handle) && !optional.includes(handle)) return `this node has no input ${handle}`;
  if (feedsInto(graph, target, source)) return 'that would make a cycle';
  const edges = graph.edges.filter((e) => !(e.target === target && e.targetHandle === handle));
  return { nodes: graph.nodes, edges: [...edges, edgeOf(edges, source, target, handle)] };
}

/** Whether `from` feeds `to`, directly or through other nodes. */
function feedsInto(graph: RuleGraph, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of graph.edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}

export function removeNodes(model: EditorGraph, ids: readonly string[]): EditorGraph {
  const gone = new Set(ids);
  const positions = Object.fromEntries(Object.entries(model.positions).filter(([id]) => !gone.has(id)));
  return {
    graph: {
      nodes: model.graph.nodes.filter((n) => !gone.has(n.id)),
      edges: model.graph.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
    },
    positions,
  };
}

export function removeEdges(graph: RuleGraph, ids: readonly string[]): RuleGraph {
  const gone = new Set(ids);
  return { nodes: graph.nodes, edges: graph.edges.filter((e) => !gone.has(e.id)) };
}

/** Replaces a node's data (its type stays). */
export function updateNode(graph: RuleGraph, id: string, data: GraphNode['data']): RuleGraph {
  return { nodes: graph.nodes.map((n) => (n.id === id ? ({ ...n, data } as GraphNode) : n)), edges: graph.edges };
}
