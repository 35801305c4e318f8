// The one node type of the canvas: a probe step of any plugin. Its form is drawn from the plugin's
// parameter schema; it shows the server's problems on the fields they name, and after a run its
// border and badge take the step's status (ok, error, timeout, unsupported, skipped).
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { useBuilder } from './builder-context.ts';
import { ExtractionEditor } from './ExtractionEditor.tsx';
import { isVisible } from './form-logic.ts';
import { ParamForm } from './ParamForm.tsx';
import { formatLabels } from './trace.ts';

export type StepNodeType = Node<{ stepKey: string }, 'step'>;

export function StepNode({ data }: NodeProps<StepNodeType>) {
  const b = useBuilder();
  const index = b.draft.steps.findIndex((s) => s.key === data.stepKey);
  const step = b.draft.steps[index];
  if (!step) return null;
  const m = b.manifests.get(step.plugin);
  const trace = b.run?.steps.get(step.id);
  const extracted = new Set(step.extract.map((x) => x.metric.trim()));
  // the step's extracted values first: they are what the analyst is building
  const samples = [...(b.run?.samples.get(step.id) ?? [])].sort((x, y) => Number(extracted.has(y.metric)) - Number(extracted.has(x.metric)));
  const props = m?.params.properties ?? {};
  const prefix = `step:${step.key}:param:`;
  const paramErrors: Record<string, string | undefined> = {};
  const loose: string[] = [];
  for (const [k, message] of Object.entries(b.errors)) {
    if (!k.startsWith(prefix)) continue;
    const name = k.slice(prefix.length);
    if (props[name] && isVisible(props[name], step.params, props)) paramErrors[name] = message;
    else loose.push(`${name}: ${message}`);
  }
  const stepError = b.errors[`step:${step.key}:step`];
  const status = trace?.status ?? 'none';
  const last = index === b.draft.steps.length - 1;

  return (
    <div className={`step-node status-${status}`} data-testid="step-node" data-step-id={step.id} data-status={trace?.status ?? ''}>
      <Handle type="target" position={Position.Left} />
      <header className="step-node-header" title="drag to move">
        <span className="step-index">{index + 1}</span>
        <strong>{m?.title ?? step.plugin}</strong>
        {m?.runsScripts && <span className="badge script">runs scripts</span>}
        {trace && (
          <span className={`badge st-${trace.status}`} data-testid="step-status">
            {trace.status}
          </span>
        )}
        <span className="spacer" />
        {b.canEdit && (
          <span className="node-actions nodrag">
            <button type="button" className="link" aria-label="Move earlier" disabled={index === 0} onClick={() => b.moveStep(step.key, -1)}>
              ←
            </button>
            <button type="button" className="link" aria-label="Move later" disabled={last} onClick={() => b.moveStep(step.key, 1)}>
              →
            </button>
            <button type="button" className="link" aria-label={`Remove step ${step.id}`} onClick={() => b.removeStep(step.key)}>
              ✕
            </button>
          </span>
        )}
      </header>
      <div className="step-body nodrag">
        {trace && (
          <p className="step-run small" data-testid="step-run">
            {trace.status} · {trace.durationMs} ms{trace.rowCount !== undefined ? ` · ${trace.rowCount} rows` : ''} · {samples.length} sample{samples.length === 1 ? '' : 's'}
            {samples.slice(0, 3).map((x, i) => (
              <span key={i} className="sample-chip">
                {x.metric}
                {formatLabels(x.labels)} = {x.value}
              </span>
            ))}
            {trace.error && <span className="error"> {trace.error}</span>}
          </p>
        )}
        <label>
          Step id
          <input
            value={step.id}
            disabled={!b.canEdit}
            spellCheck={false}
            onChange={(e) => b.updateStep(step.key, (s) => ({ ...s, id: e.target.value }))}
          />
        </label>
        {stepError && (
          <p className="error small" role="alert">
            {stepError}
          </p>
        )}
        {loose.map((l) => (
          <p key={l} className="error small" role="alert">
            {l}
          </p>
        ))}
        {m ? (
          <ParamForm
            schema={m.params}
            value={step.params}
            errors={paramErrors}
            disabled={!b.canEdit}
            onChange={(params) => b.updateStep(step.key, (s) => ({ ...s, params }))}
          />
        ) : (
          <p className="error">no plugin “{step.plugin}” on this server</p>
        )}
        <ExtractionEditor step={step} />
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
