// The rule as a graph (React Flow): a palette adds nodes (chained after the selected one), edges
// connect a value to the argument it fills, fields are edited in the nodes, and the severity node
// closes the chain. Every change goes back as a new model; the page turns it into text.
// Loaded lazily with React Flow itself.
import {
  applyNodeChanges,
  Background,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import type { GraphNode, GraphNodeType } from '@esmon/schema';
import { layoutGraph, rootOf, severityPosition } from './flow-layout.ts';
import { GraphEditContext, METRIC_LIST_ID, RuleNodeView, SeverityNodeView, type GraphEditApi, type SeverityInfo } from './flow-nodes.tsx';
import { addNode, connect, removeEdges, removeNodes, updateNode, type EditorGraph } from './graph-model.ts';

export interface RuleGraphViewProps {
  model: EditorGraph;
  onChange(model: EditorGraph): void;
  readOnly: boolean;
  /** why the graph is read-only or incomplete, in words */
  note: string | undefined;
  problemNode: string | undefined;
  metrics: readonly string[];
  severity: SeverityInfo;
}

const SEVERITY_ID = '__severity';
const NODE_TYPES = { rule: RuleNodeView, severity: SeverityNodeView };
const PALETTE: [GraphNodeType, string][] = [
  ['metric', 'Metric'],
  ['window', 'Window function'],
  ['constant', 'Number'],
  ['compare', 'Compare'],
  ['logic', 'And / or'],
  ['not', 'Not'],
  ['arith', 'Math'],
  ['scalar', 'abs / round'],
];

export default function RuleGraphView(props: RuleGraphViewProps) {
  return (
    <ReactFlowProvider>
      <GraphCanvas {...props} />
    </ReactFlowProvider>
  );
}

function GraphCanvas({ model, onChange, readOnly, note, problemNode, metrics, severity }: RuleGraphViewProps) {
  const [selected, setSelected] = useState<string>();
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [nodes, setNodes] = useState<Node[]>([]);
  const flow = useReactFlow();
  const { graph, positions } = model;

  // the flow's nodes follow the model, keeping what React Flow measured
  useEffect(() => {
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      const ruleNodes: Node[] = graph.nodes.map((g) => ({
        ...old.get(g.id),
        id: g.id,
        type: 'rule',
        position: positions[g.id] ?? { x: 0, y: 0 },
        data: { node: g },
        selected: g.id === selected,
        deletable: !readOnly,
      }));
      const sev: Node = { ...old.get(SEVERITY_ID), id: SEVERITY_ID, type: 'severity', position: severityPosition(graph, positions), data: {}, draggable: false, selectable: false, deletable: false };
      return [...ruleNodes, sev];
    });
  }, [graph, positions, selected, readOnly]);

  const count = graph.nodes.length;
  useEffect(() => {
    const t = setTimeout(() => void flow.fitView({ padding: 0.15, maxZoom: 1 }), 50);
    return () => clearTimeout(t);
  }, [count, flow]);

  const root = rootOf(graph);
  const edges: Edge[] = useMemo(
    () => [
      ...graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, targetHandle: String(e.targetHandle), sourceHandle: 'out', selected: selectedEdges.has(e.id), deletable: !readOnly })),
      ...(root ? [{ id: '__result', source: root.id, sourceHandle: 'out', target: SEVERITY_ID, targetHandle: 'in', deletable: false, selectable: false, animated: true }] : []),
    ],
    [graph.edges, root, selectedEdges, readOnly],
  );

  const api: GraphEditApi = useMemo(
    () => ({
      readOnly,
      problemNode,
      severity,
      update: (id: string, data: GraphNode['data']) => onChange({ ...model, graph: updateNode(model.graph, id, data) }),
    }),
    [readOnly, problemNode, severity, onChange, model],
  );

  const onNodesChange = (changes: NodeChange[]) => {
    setNodes((ns) => applyNodeChanges(changes, ns));
    for (const c of changes) if (c.type === 'select') setSelected((s) => (c.selected ? c.id : s === c.id ? undefined : s));
    const removed = changes.flatMap((c) => (c.type === 'remove' && c.id !== SEVERITY_ID ? [c.id] : []));
    if (removed.length > 0 && !readOnly) onChange(removeNodes(model, removed));
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    const next = new Set(selectedEdges);
    for (const c of changes) {
      if (c.type !== 'select') continue;
      if (c.selected) next.add(c.id);
      else next.delete(c.id);
    }
    setSelectedEdges(next);
    const removed = changes.flatMap((c) => (c.type === 'remove' ? [c.id] : []));
    if (removed.length > 0 && !readOnly) onChange({ ...model, graph: removeEdges(model.graph, removed) });
  };
  const valid = (c: Connection | Edge) => !readOnly && c.target !== SEVERITY_ID && typeof connect(graph, c.source, c.target, Number(c.targetHandle)) !== 'string';
  const onConnect = (c: Connection) => {
    const next = connect(graph, c.source, c.target, Number(c.targetHandle));
    if (typeof next !== 'string') onChange({ ...model, graph: next });
  };
  const add = (type: GraphNodeType) => {
    const { model: next, id } = addNode(model, type, selected);
    onChange(next);
    setSelected(id);
  };

  return (
    <GraphEditContext.Provider value={api}>
      <div className="rule-graph" data-testid="rule-graph" data-readonly={readOnly}>
        {!readOnly && (
          <div className="rule-palette" role="toolbar" aria-label="Add a node">
            <span className="muted">Add:</span>
            {PALETTE.map(([type, label]) => (
              <button key={type} type="button" className="secondary" onClick={() => add(type)}>
                {label}
              </button>
            ))}
            <button type="button" className="link" onClick={() => onChange({ ...model, positions: layoutGraph(graph) })} disabled={count === 0}>
              Tidy
            </button>
            <span className="muted hint">{selected ? 'new nodes are chained after the selected one' : 'select a node to chain new ones after it'}</span>
          </div>
        )}
        {note && (
          <p className={readOnly ? 'rule-graph-note readonly' : 'rule-graph-note'} role="status" data-testid="graph-note">
            {note}
          </p>
        )}
        <div className="rule-graph-canvas">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            isValidConnection={valid}
            onNodeDragStop={(_e, _n, moved) => onChange({ ...model, positions: { ...positions, ...Object.fromEntries(moved.filter((m) => m.id !== SEVERITY_ID).map((m) => [m.id, m.position])) } })}
            nodesConnectable={!readOnly}
            deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
            minZoom={0.3}
            maxZoom={1.5}
            fitView
          >
            <Background gap={20} />
            <Controls showInteractive={false} />
          </ReactFlow>
          {count === 0 && <p className="rule-graph-empty muted">Empty rule: add a Metric, then a Window function, then Compare.</p>}
        </div>
        <datalist id={METRIC_LIST_ID}>
          {metrics.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </div>
    </GraphEditContext.Provider>
  );
}
