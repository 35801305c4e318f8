import { astToGraph, parseRule, type RuleGraph } from '@esmon/schema';
import { describe, expect, test } from 'vitest';
import { COLUMN, layoutGraph, rootOf, severityPosition } from './flow-layout.ts';

const drawn = (text: string) => astToGraph(parseRule(text));

describe('layoutGraph', () => {
  test('inputs sit left of what uses them, the result rightmost', () => {
    const g = drawn('max(m, "5m") > 90 and not nodata(m, "1m")');
    const p = layoutGraph(g);
    for (const e of g.edges) expect(p[e.source]!.x).toBeLessThan(p[e.target]!.x);
    const root = rootOf(g)!;
    expect(Math.max(...Object.values(p).map((x) => x.x))).toBe(p[root.id]!.x);
  });

  test('no two nodes share a place', () => {
    const g = drawn('rate(a, "5m") * 8 / 1e6 > 800 or abs(delta(b, "15m")) > 1000');
    const places = Object.values(layoutGraph(g)).map((q) => `${q.x},${q.y}`);
    expect(new Set(places).size).toBe(places.length);
  });

  test('a node sits at the mean height of its inputs', () => {
    const g = drawn('last(m, "5m") > 90');
    const p = layoutGraph(g);
    const compare = g.nodes.find((n) => n.type === 'compare')!;
    const ins = g.edges.filter((e) => e.target === compare.id).map((e) => p[e.source]!.y);
    expect(p[compare.id]!.y).toBe((ins[0]! + ins[1]!) / 2);
  });

  test('survives a cycle and loose nodes', () => {
    const g: RuleGraph = {
      nodes: [
        { id: 'a', type: 'not', data: {} },
        { id: 'b', type: 'not', data: {} },
        { id: 'c', type: 'constant', data: { value: 1 } },
      ],
      edges: [
        { id: 'e0', source: 'a', target: 'b', targetHandle: 0 },
        { id: 'e1', source: 'b', target: 'a', targetHandle: 0 },
      ],
    };
    expect(Object.keys(layoutGraph(g)).sort()).toEqual(['a', 'b', 'c']);
  });

  test('the severity node follows the result', () => {
    const g = drawn('last(m, "5m") > 90');
    const p = layoutGraph(g);
    const s = severityPosition(g, p);
    expect(s.x).toBe(Math.max(...Object.values(p).map((q) => q.x)) + COLUMN);
    expect(s.y).toBe(p[rootOf(g)!.id]!.y);
  });
});
