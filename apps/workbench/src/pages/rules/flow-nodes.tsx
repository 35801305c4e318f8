// The builder's nodes in React Flow: one view per node type with its fields edited in place
// (metric selector with completion, function, window, operator, number), input handles on the
// left named after the argument they take, the output on the right; and the severity node.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { createContext, useContext, useEffect, useState } from 'react';
import {
  ARITHMETIC_OPS,
  COMPARISON_OPS,
  durationProblem,
  formatSelector,
  inputHandles,
  parseSelector,
  SCALAR_FUNCTIONS,
  WINDOW_FUNCTIONS,
  type GraphNode,
  type GraphNodeType,
} from '@esmon/schema';
import { SEVERITIES, type Comparator, type LevelDraft, type RuleKind, type Severity } from './rule-draft.ts';

export interface SeverityInfo {
  kind: RuleKind | undefined;
  levels: LevelDraft[];
  comparator: Comparator;
  setConditionSeverity(s: Severity): void;
}

export interface GraphEditApi {
  readOnly: boolean;
  problemNode: string | undefined;
  update(id: string, data: GraphNode['data']): void;
  severity: SeverityInfo;
}

export const GraphEditContext = createContext<GraphEditApi | null>(null);
export const METRIC_LIST_ID = 'rule-metric-names';

export type RuleFlowNode = Node<{ node: GraphNode }, 'rule'>;
export type SeverityFlowNode = Node<Record<string, never>, 'severity'>;

const TITLES: Record<GraphNodeType, string> = {
  metric: 'Metric',
  window: 'Window function',
  constant: 'Number',
  arith: 'Math',
  compare: 'Compare',
  logic: 'And / or',
  not: 'Not',
  scalar: 'Function',
};

function inputName(node: GraphNode, handle: number): string {
  switch (node.type) {
    case 'window':
      return handle === 0 ? 'metric' : 'p';
    case 'compare':
      return handle === 0 ? 'left' : 'right';
    case 'scalar':
      return handle === 0 ? 'x' : 'digits';
    case 'not':
      return 'condition';
    default:
      return handle === 0 ? 'a' : 'b';
  }
}

/** A text field that commits only what `accept` turns into a value, and follows outside changes. */
function useDraftText(outside: string): [string, (t: string) => void] {
  const [text, setText] = useState(outside);
  useEffect(() => setText(outside), [outside]);
  return [text, setText];
}

function Select<T extends string>({ label, value, options, onChange, disabled }: { label: string; value: T; options: readonly T[]; onChange(v: T): void; disabled: boolean }) {
  return (
    <select className="nodrag" aria-label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as T)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {o === 'neg' ? '− (negate)' : o}
        </option>
      ))}
    </select>
  );
}

function MetricField({ node, api }: { node: Extract<GraphNode, { type: 'metric' }>; api: GraphEditApi }) {
  const outside = node.data.metric ? formatSelector({ metric: node.data.metric, matchers: node.data.matchers }) : '';
  const [text, setText] = useDraftText(outside);
  const [problem, setProblem] = useState<string>();
  const change = (t: string) => {
    setText(t);
    try {
      const s = parseSelector(t.trim());
      if (!s.metric) throw new Error('a metric name is needed');
      setProblem(undefined);
      api.update(node.id, { metric: s.metric, matchers: s.matchers });
    } catch (err) {
      setProblem((err as Error).message);
    }
  };
  return (
    <>
      <input className={`nodrag${problem && text ? ' invalid' : ''}`} aria-label="Metric name" list={METRIC_LIST_ID} placeholder="os.cpu.usage" value={text} disabled={api.readOnly} onChange={(e) => change(e.target.value)} title={problem} />
      {problem && text && <small className="error">{problem}</small>}
    </>
  );
}

function WindowFields({ node, api }: { node: Extract<GraphNode, { type: 'window' }>; api: GraphEditApi }) {
  const [text, setText] = useDraftText(node.data.duration);
  const problem = durationProblem(text);
  return (
    <div className="rule-node-row">
      <Select label="Function" value={node.data.fn} options={WINDOW_FUNCTIONS} disabled={api.readOnly} onChange={(fn) => api.update(node.id, { ...node.data, fn })} />
      <span className="muted">over</span>
      <input
        className={`nodrag window${problem ? ' invalid' : ''}`}
        aria-label="Window"
        value={text}
        disabled={api.readOnly}
        title={problem}
        onChange={(e) => {
          setText(e.target.value);
          if (!durationProblem(e.target.value)) api.update(node.id, { ...node.data, duration: e.target.value });
        }}
      />
    </div>
  );
}

const PLAIN_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function ConstantField({ node, api }: { node: Extract<GraphNode, { type: 'constant' }>; api: GraphEditApi }) {
  const [text, setText] = useDraftText(node.data.raw ?? String(node.data.value));
  const ok = text.trim() !== '' && Number.isFinite(Number(text));
  return (
    <input
      className={`nodrag number${ok ? '' : ' invalid'}`}
      aria-label="Number"
      inputMode="decimal"
      value={text}
      disabled={api.readOnly}
      onChange={(e) => {
        const t = e.target.value;
        setText(t);
        const n = Number(t);
        if (t.trim() !== '' && Number.isFinite(n)) api.update(node.id, PLAIN_NUMBER.test(t.trim()) ? { value: n, raw: t.trim() } : { value: n });
      }}
    />
  );
}

function NodeFields({ node, api }: { node: GraphNode; api: GraphEditApi }) {
  const d = api.readOnly;
  switch (node.type) {
    case 'metric':
      return <MetricField node={node} api={api} />;
    case 'window':
      return <WindowFields node={node} api={api} />;
    case 'constant':
      return <ConstantField node={node} api={api} />;
    case 'compare':
      return <Select label="Comparator" value={node.data.op} options={COMPARISON_OPS} disabled={d} onChange={(op) => api.update(node.id, { op })} />;
    case 'logic':
      return <Select label="Logic" value={node.data.op} options={['and', 'or'] as const} disabled={d} onChange={(op) => api.update(node.id, { op })} />;
    case 'arith':
      return <Select label="Operator" value={node.data.op} options={[...ARITHMETIC_OPS, 'neg'] as const} disabled={d} onChange={(op) => api.update(node.id, { op })} />;
    case 'scalar':
      return <Select label="Scalar function" value={node.data.fn} options={SCALAR_FUNCTIONS} disabled={d} onChange={(fn) => api.update(node.id, { fn })} />;
    case 'not':
      return <span className="muted">negates its input</span>;
  }
}

export function RuleNodeView({ id, data }: NodeProps<RuleFlowNode>) {
  const api = useContext(GraphEditContext)!;
  const node = data.node;
  const { required, optional } = inputHandles(node);
  const handles = [...required, ...optional].sort((a, b) => a - b);
  return (
    <div className={`rule-node rule-node-${node.type}${api.problemNode === id ? ' problem' : ''}`} data-testid={`node-${node.type}`} data-node-id={id}>
      {handles.map((h, i) => {
        const top = `${((i + 1) * 100) / (handles.length + 1)}%`;
        return (
          <div key={h}>
            <Handle type="target" position={Position.Left} id={String(h)} style={{ top }} isConnectable={!api.readOnly} title={inputName(node, h)} />
            <span className="handle-label" style={{ top }}>
              {inputName(node, h)}
              {optional.includes(h) ? '?' : ''}
            </span>
          </div>
        );
      })}
      <div className="rule-node-title">{TITLES[node.type]}</div>
      <NodeFields node={node} api={api} />
      <Handle type="source" position={Position.Right} id="out" isConnectable={!api.readOnly} />
    </div>
  );
}

export function SeverityNodeView() {
  const api = useContext(GraphEditContext)!;
  const { kind, levels, comparator, setConditionSeverity } = api.severity;
  return (
    <div className="rule-node rule-node-severity" data-testid="node-severity">
      <Handle type="target" position={Position.Left} id="in" isConnectable={false} />
      <div className="rule-node-title">Severity</div>
      {kind === 'value' ? (
        <>
          <ul>
            {levels.map((l) => (
              <li key={l.severity} className={`sev-${l.severity}`}>
                {l.severity} {comparator} {l.threshold || '?'}
                {l.recovery ? `, recovers at ${l.recovery}` : ''}
              </li>
            ))}
          </ul>
          <small className="muted">thresholds: in the table below</small>
        </>
      ) : (
        <>
          <Select label="Severity" value={levels[0]?.severity ?? 'warning'} options={SEVERITIES} disabled={api.readOnly} onChange={setConditionSeverity} />
          <small className="muted">{kind === 'condition' ? 'while the condition holds' : 'of the alert'}</small>
        </>
      )}
    </div>
  );
}
