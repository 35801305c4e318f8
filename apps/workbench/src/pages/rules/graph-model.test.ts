import { formatRule, graphToAst, parseRule, type RuleGraph } from '@esmon/schema';
import { describe, expect, test } from 'vitest';
import { addNode, carryOver, connect, EMPTY_GRAPH, graphText, removeNodes, syncFromText, updateNode, type EditorGraph } from './graph-model.ts';

/** Builds "metric → window → compare(>, 90)" the way the palette does. */
function built(metric = 'e2e.rule.load'): EditorGraph {
  const first = addNode(EMPTY_GRAPH, 'metric');
  const id = first.id;
  let model = { ...first.model, graph: updateNode(first.model.graph, id, { metric, matchers: [] }) };
  const w = addNode(model, 'window', id);
  model = { ...w.model, graph: updateNode(w.model.graph, w.id, { fn: 'last', duration: '5m' }) };
  const c = addNode(model, 'compare', w.id);
  const constant = c.model.graph.nodes.find((n) => n.type === 'constant')!;
  return { ...c.model, graph: updateNode(c.model.graph, constant.id, { value: 90, raw: '90' }) };
}

describe('palette', () => {
  test('chains a selected node into the new one, and gives a comparison its number', () => {
    const model = built();
    expect(graphText(model.graph)).toEqual({ text: 'last(e2e.rule.load, "5m") > 90' });
    expect(model.graph.nodes.map((n) => n.type)).toEqual(['metric', 'window', 'compare', 'constant']);
    expect(new Set(model.graph.nodes.map((n) => n.id)).size).toBe(4);
    // the new node sits right of the one it was chained to
    const [m, w] = model.graph.nodes;
    expect(model.positions[w!.id]!.x).toBeGreaterThan(model.positions[m!.id]!.x);
  });

  test('does not chain what cannot feed the new node (a comparison into a window)', () => {
    const model = built();
    const compare = model.graph.nodes.find((n) => n.type === 'compare')!;
    const { model: next, id } = addNode(model, 'window', compare.id);
    expect(next.graph.edges.some((e) => e.target === id)).toBe(false);
  });

  test('an incomplete graph names what is missing instead of giving text', () => {
    const { model } = addNode(EMPTY_GRAPH, 'compare');
    const t = graphText(model.graph);
    expect(t).toMatchObject({ error: expect.stringMatching(/input 0 of compare node .* is not connected/) });
  });

  test('removing a node removes its edges', () => {
    const model = built();
    const w = model.graph.nodes.find((n) => n.type === 'window')!;
    const next = removeNodes(model, [w.id]);
    expect(next.graph.edges.every((e) => e.source !== w.id && e.target !== w.id)).toBe(true);
    expect(next.positions[w.id]).toBeUndefined();
  });
});

describe('connect', () => {
  const g: RuleGraph = built().graph;
  const id = (type: string) => g.nodes.find((n) => n.type === type)!.id;

  test('replaces what fed the input', () => {
    const { model } = addNode({ graph: g, positions: {} }, 'constant');
    const constant = model.graph.nodes.at(-1)!.id;
    const next = connect(model.graph, constant, id('compare'), 1) as RuleGraph;
    expect(next.edges.filter((e) => e.target === id('compare') && e.targetHandle === 1).map((e) => e.source)).toEqual([constant]);
  });

  test.each([
    ['a cycle', () => connect(g, id('compare'), id('window'), 0), 'that would make a cycle'],
    ['itself', () => connect(g, id('window'), id('window'), 0), 'a node cannot feed itself'],
    ['a missing input', () => connect(g, id('metric'), id('window'), 2), 'this node has no input 2'],
  ])('refuses %s', (_name, run, message) => {
    expect(run()).toBe(message);
  });
});

describe('text → graph', () => {
  test('text the graph already shows changes nothing', () => {
    expect(syncFromText('last(e2e.rule.load,"5m")>90', built())).toEqual({ kind: 'same' });
  });

  test('a changed number redraws with the same ids and positions', () => {
    const model = built();
    const sync = syncFromText('last(e2e.rule.load, "5m") > 80', model);
    expect(sync.kind).toBe('draw');
    if (sync.kind !== 'draw') return;
    expect(sync.model.positions).toEqual(model.positions);
    expect(sync.model.graph.nodes.map((n) => n.id).sort()).toEqual(model.graph.nodes.map((n) => n.id).sort());
    const constant = sync.model.graph.nodes.find((n) => n.type === 'constant')!;
    expect(constant.data).toMatchObject({ value: 80 });
    expect(formatRule(graphToAst(sync.model.graph))).toBe('last(e2e.rule.load, "5m") > 80');
  });

  test('a new shape is laid out again, ids never clash', () => {
    const model = built();
    const sync = syncFromText('last(e2e.rule.load, "5m") > 80 and not nodata(x, "1m")', model);
    expect(sync.kind).toBe('draw');
    if (sync.kind !== 'draw') return;
    const ids = sync.model.graph.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(sync.model.positions).sort()).toEqual([...ids].sort());
    expect(graphText(sync.model.graph)).toEqual({ text: 'last(e2e.rule.load, "5m") > 80 and not nodata(x, "1m")' });
  });

  test('text that does not parse keeps the graph', () => {
    expect(syncFromText('last(e2e.rule.load, "5m") >', built())).toMatchObject({ kind: 'unparsable', reason: expect.any(String) });
  });

  test('text the builder cannot draw is edited as text', () => {
    expect(syncFromText('avg(x) > 1', built())).toMatchObject({ kind: 'undrawable', reason: expect.stringMatching(/can be drawn only as/) });
  });

  test('empty text empties the graph', () => {
    expect(syncFromText('  ', built())).toEqual({ kind: 'draw', model: EMPTY_GRAPH });
    expect(syncFromText('', EMPTY_GRAPH)).toEqual({ kind: 'same' });
  });

  test('carryOver keeps nothing from an unrelated graph but stays consistent', () => {
    const next = carryOver(built(), { nodes: [{ id: 'n0', type: 'constant', data: { value: 1 } }], edges: [] });
    expect(next.graph.nodes).toHaveLength(1);
    expect(next.positions[next.graph.nodes[0]!.id]).toBeDefined();
    expect(formatRule(graphToAst(next.graph))).toBe(formatRule(parseRule('1')));
  });
});
