import { describe, expect, test } from 'vitest';
import { prng } from './../testing.ts';
import { formatRule } from './format.ts';
import type { GraphEdge, GraphNode, RuleGraph } from './graph.ts';
import { astToGraph, GraphError, graphToAst, MAX_GRAPH_NODES } from './graph.ts';
import { parseRule } from './parse.ts';
import { randomRuleText } from './random-rule.ts';
import { validateRule } from './validate.ts';

const roundTrip = (text: string) => formatRule(graphToAst(astToGraph(parseRule(text))));
const edge = (source: string, target: string, targetHandle: number): GraphEdge => ({
  id: `${source}-${target}-${targetHandle}`,
  source,
  target,
  targetHandle,
});

function graphError(graph: RuleGraph): GraphError {
  try {
    graphToAst(graph);
  } catch (err) {
    if (err instanceof GraphError) return err;
    throw err;
  }
  throw new Error('expected a GraphError');
}

describe('astToGraph', () => {
  test('draws the nodes and argument-index edges', () => {
    const g = astToGraph(parseRule('percentile(m{a="b"}, "5m", 95) > -1 and not nodata(m, "1m")'));
    expect(g.nodes.map((n) => `${n.id}:${n.type}`)).toEqual([
      'n0:logic',
      'n1:compare',
      'n2:window',
      'n3:metric',
      'n4:constant',
      'n5:arith',
      'n6:constant',
      'n7:not',
      'n8:window',
      'n9:metric',
    ]);
    expect(g.nodes[2]!.data).toEqual({ fn: 'percentile', duration: '5m' });
    expect(g.nodes[5]!.data).toEqual({ op: 'neg' });
    expect(g.edges.map((e) => `${e.source}->${e.target}:${e.targetHandle}`)).toEqual([
      'n3->n2:0',
      'n4->n2:2',
      'n2->n1:0',
      'n6->n5:0',
      'n5->n1:1',
      'n1->n0:0',
      'n9->n8:0',
      'n8->n7:0',
      'n7->n0:1',
    ]);
  });

  test.each([
    ['"5m" > 1', /a string can only be drawn/],
    ['foo(x) > 1', /unknown function "foo"/],
    ['avg(x) > 1', /avg\(…\) can be drawn only as avg\(metric, "duration"\)/],
    ['avg(1, "5m") > 1', /can be drawn only as/],
    ['percentile(x, "5m") > 1', /percentile\(metric, "duration", p\)/],
    ['abs(1, 2) > 1', /abs with 2 arguments/],
  ])('refuses %s', (text, message) => {
    expect(() => astToGraph(parseRule(text))).toThrow(message);
  });
});

describe('text → graph → text', () => {
  test.each([
    'avg(os.cpu.usage, "5m") > 90',
    'max(os.disk.used_pct{mount="/"}, "10m") >= 95 and not nodata(os.disk.used_pct, "10m")',
    'rate(net.rx_bytes{iface="eth0"}, "5m") * 8 / 1e6 > 800 or abs(delta(app.queue.depth, "15m")) > 1000',
    'round(avg(x, "1h"), 2) > 0.5 and -2 ^ 2 < (1 + 2) * 3',
    'os.cpu.usage > 1',
  ])('%s', (text) => {
    expect(roundTrip(text)).toBe(formatRule(parseRule(text)));
  });

  test('same canonical text for 2000 random valid rules', () => {
    const rand = prng(3);
    for (let i = 0; i < 2000; i++) {
      const text = randomRuleText(rand);
      expect(roundTrip(text), text).toBe(formatRule(parseRule(text)));
    }
  });
});

describe('graphToAst', () => {
  const metric: GraphNode = { id: 'm', type: 'metric', data: { metric: 'os.cpu.usage', matchers: [] } };
  const win: GraphNode = { id: 'w', type: 'window', data: { fn: 'avg', duration: '5m' } };
  const limit: GraphNode = { id: 'c', type: 'constant', data: { value: 90 } };
  const cmp: GraphNode = { id: 'cmp', type: 'compare', data: { op: '>' } };
  const good: RuleGraph = {
    nodes: [cmp, win, metric, limit],
    edges: [edge('m', 'w', 0), edge('w', 'cmp', 0), edge('c', 'cmp', 1)],
  };

  test('builds text from a hand-made graph, in any node order', () => {
    expect(formatRule(graphToAst(good))).toBe('avg(os.cpu.usage, "5m") > 90');
    expect(formatRule(graphToAst({ ...good, nodes: [...good.nodes].reverse() }))).toBe(
      'avg(os.cpu.usage, "5m") > 90',
    );
  });

  test('negative and computed constants become valid text', () => {
    const neg: RuleGraph = {
      ...good,
      nodes: [cmp, win, metric, { id: 'c', type: 'constant', data: { value: -0.1 + -0.2 } }],
    };
    const text = formatRule(graphToAst(neg));
    expect(text).toBe('avg(os.cpu.usage, "5m") > -0.30000000000000004');
    expect(validateRule(text).diagnostics).toEqual([]);
  });

  test('a metric node may feed two windows', () => {
    const g: RuleGraph = {
      nodes: [metric, win, { id: 'w2', type: 'window', data: { fn: 'max', duration: '1h' } }, cmp],
      edges: [edge('m', 'w', 0), edge('m', 'w2', 0), edge('w', 'cmp', 0), edge('w2', 'cmp', 1)],
    };
    expect(formatRule(graphToAst(g))).toBe('avg(os.cpu.usage, "5m") > max(os.cpu.usage, "1h")');
  });

  test.each<[string, RuleGraph, RegExp, string | undefined]>([
    ['empty', { nodes: [], edges: [] }, /the graph is empty/, undefined],
    [
      'dangling input',
      { nodes: [cmp, win, metric], edges: [edge('m', 'w', 0), edge('w', 'cmp', 0)] },
      /input 1 of compare node cmp is not connected/,
      'cmp',
    ],
    [
      'several roots',
      { nodes: [...good.nodes, { id: 'x', type: 'constant', data: { value: 1 } }], edges: good.edges },
      /2 unconnected outputs \(cmp, x\)/,
      'x',
    ],
    [
      'cycle',
      {
        nodes: [
          cmp,
          limit,
          { id: 'a', type: 'arith', data: { op: '+' } },
          { id: 'b', type: 'arith', data: { op: 'neg' } },
        ],
        edges: [
          edge('a', 'b', 0),
          edge('b', 'a', 0),
          edge('c', 'a', 1),
          edge('c', 'cmp', 1),
          edge('b', 'cmp', 0),
        ],
      },
      /the graph has a cycle/,
      'a',
    ],
    ['self loop', { nodes: [{ id: 'n', type: 'not', data: {} }], edges: [edge('n', 'n', 0)] }, /cycle/, 'n'],
    [
      'unknown handle',
      { ...good, edges: [...good.edges, edge('c', 'w', 1)] },
      /window node w has no input 1/,
      'w',
    ],
    [
      'input used twice',
      { ...good, edges: [...good.edges, edge('m', 'cmp', 1)] },
      /input 1 of node cmp is connected twice/,
      'cmp',
    ],
    ['missing node', { ...good, edges: [...good.edges, edge('ghost', 'w', 0)] }, /does not exist/, 'w'],
    ['duplicate id', { ...good, nodes: [...good.nodes, limit] }, /two nodes have the id c/, 'c'],
    [
      'unknown type',
      { nodes: [{ id: 'z', type: 'eval', data: {} } as unknown as GraphNode], edges: [] },
      /unknown type/,
      'z',
    ],
    [
      'infinite constant',
      { nodes: [{ id: 'k', type: 'constant', data: { value: Infinity } }], edges: [] },
      /not a finite number/,
      'k',
    ],
  ])('%s', (_, graph, message, nodeId) => {
    const err = graphError(graph);
    expect(err.message).toMatch(message);
    expect(err.nodeId).toBe(nodeId);
  });

  test('size limits: too many nodes, and shared nodes that expand exponentially', () => {
    const many: RuleGraph = {
      nodes: Array.from({ length: MAX_GRAPH_NODES + 1 }, (_, i) => ({
        id: `k${i}`,
        type: 'constant',
        data: { value: i },
      })),
      edges: [],
    };
    expect(graphError(many).message).toMatch(/at most 500 nodes/);
    // 40 adders, each using the previous one twice: 2^40 leaves if expanded.
    const nodes: GraphNode[] = [{ id: 'a0', type: 'constant', data: { value: 1 } }];
    const edges: GraphEdge[] = [];
    for (let i = 1; i <= 40; i++) {
      nodes.push({ id: `a${i}`, type: 'arith', data: { op: '+' } });
      edges.push(edge(`a${i - 1}`, `a${i}`, 0), edge(`a${i - 1}`, `a${i}`, 1));
    }
    expect(graphError({ nodes, edges }).message).toMatch(/expands to more than 2000 nodes/);
  });
});
