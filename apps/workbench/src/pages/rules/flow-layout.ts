// Where the builder's nodes sit: inputs to the left of what uses them, the rule's result on the
// right and the severity node after it. Leaves take successive rows; a node sits at the mean
// height of its inputs, so every expression draws as a tidy tree.
import type { GraphNode, RuleGraph } from '@esmon/schema';

export interface XY {
  x: number;
  y: number;
}

export const COLUMN = 250;
export const ROW = 120;

/** Nodes no edge leaves from: the result of the rule, or (while building) loose ends. */
export function outputsOf(graph: RuleGraph): GraphNode[] {
  const used = new Set(graph.edges.map((e) => e.source));
  return graph.nodes.filter((n) => !used.has(n.id));
}

/** The rule's result: the one node nothing uses, when there is exactly one. */
export function rootOf(graph: RuleGraph): GraphNode | undefined {
  const outs = outputsOf(graph);
  return outs.length === 1 ? outs[0] : undefined;
}

/** The sources feeding a node, by input handle in ascending order. */
export function inputsOf(graph: RuleGraph, id: string): string[] {
  return graph.edges
    .filter((e) => e.target === id)
    .sort((a, b) => a.targetHandle - b.targetHandle)
    .map((e) => e.source);
}

/** Positions for every node of a graph (cycles and loose nodes included). */
export function layoutGraph(graph: RuleGraph): Record<string, XY> {
  // depth: the longest way from the node to an output, bounded so a cycle cannot loop forever
  const depth = new Map<string, number>();
  const outs = outputsOf(graph);
  const starts = outs.length > 0 ? outs : graph.nodes.slice(0, 1);
  const stack: [string, number][] = starts.map((n) => [n.id, 0]);
  const limit = graph.nodes.length;
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [id, d] = item;
    if (d > limit || (depth.get(id) ?? -1) >= d) continue;
    depth.set(id, d);
    for (const src of inputsOf(graph, id)) stack.push([src, d + 1]);
  }
  const maxDepth = Math.max(0, ...depth.values());
  const row = new Map<string, number>();
  let next = 0;
  const place = (id: string, visiting: Set<string>): number => {
    const known = row.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return next;
    visiting.add(id);
    const ins = inputsOf(graph, id).map((src) => place(src, visiting));
    const r = ins.length > 0 ? ins.reduce((a, b) => a + b, 0) / ins.length : next++;
    row.set(id, r);
    return r;
  };
  for (const n of [...starts, ...graph.nodes]) place(n.id, new Set());
  const positions: Record<string, XY> = {};
  for (const n of graph.nodes) {
    positions[n.id] = { x: (maxDepth - (depth.get(n.id) ?? 0)) * COLUMN, y: (row.get(n.id) ?? 0) * ROW };
  }
  return positions;
}

/** The severity node: one column right of everything, level with the rule's result. */
export function severityPosition(graph: RuleGraph, positions: Record<string, XY>): XY {
  const xs = graph.nodes.map((n) => positions[n.id]?.x ?? 0);
  const root = rootOf(graph);
  const y = root ? (positions[root.id]?.y ?? 0) : 0;
  return { x: (xs.length ? Math.max(...xs) : 0) + COLUMN, y };
}
