// One rule being edited: its name, the expression as a graph and as text (kept in step), its
// levels and settings, a backtest, and saving (create, or update guarded by the version edited).
// The graph and the code editor load lazily, each in its own chunk with its library.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { validateRule } from '@esmon/schema';
import { useSession } from '../../api/session.tsx';
import { Link } from '../../app/router.tsx';
import { says } from '../../ui/server-error.ts';
import { chartSelector, thresholdLines } from './backtest-model.ts';
import { BacktestPanel } from './BacktestPanel.tsx';
import type { SeverityInfo } from './flow-nodes.tsx';
import { LiveAlerts } from './LiveAlerts.tsx';
import { CREATE_RULE, UPDATE_RULE, type RulePayload } from './queries.ts';
import { draftFromRule, draftToInput, emptyDraft, exprKind, serverProblems, type FieldErrors, type RuleDraft, type SavedRule, type Severity, type TextProblem } from './rule-draft.ts';
import { RuleSettings } from './RuleSettings.tsx';
import { noteText, useRuleSync } from './useRuleSync.ts';

const RuleGraphView = lazy(() => import('./RuleGraphView.tsx'));
const RuleCodeEditor = lazy(() => import('./RuleCodeEditor.tsx'));

interface Props {
  saved: SavedRule | undefined;
  metrics: readonly string[];
  onCreated(rule: SavedRule): void;
}

type Banner = { tone: 'error' | 'ok'; text: string; warnings?: string[] };

const NO_PROBLEMS: TextProblem[] = [];

export function RuleEditor({ saved: initial, metrics, onCreated }: Props) {
  const { can } = useSession();
  const canEdit = can('analyst');
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState<RuleDraft>(() => (initial ? draftFromRule(initial) : emptyDraft()));
  const sync = useRuleSync(draft.expression);
  const { text } = sync;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [textProblems, setTextProblems] = useState<TextProblem[]>(NO_PROBLEMS);
  const [banner, setBanner] = useState<Banner>();
  const [{ fetching: creating }, create] = useMutation<{ createRule: RulePayload }>(CREATE_RULE);
  const [{ fetching: updating }, update] = useMutation<{ updateRule: RulePayload }>(UPDATE_RULE);

  // the server's places in the text are stale once the text changes
  useEffect(() => setTextProblems(NO_PROBLEMS), [text]);

  const ast = useMemo(() => (text.trim() ? validateRule(text, { expect: 'condition-or-value' }).ast : undefined), [text]);
  const kind = ast ? exprKind(ast) : undefined;
  const prepared = useMemo(() => draftToInput({ ...draft, expression: text }, kind), [draft, text, kind]);
  const change = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const severity: SeverityInfo = useMemo(
    () => ({
      kind,
      levels: draft.levels,
      comparator: draft.comparator,
      setConditionSeverity: (s: Severity) =>
        setDraft((d) => ({ ...d, levels: [{ ...d.levels[0]!, severity: s }, ...d.levels.slice(1).filter((l) => l.severity !== s)] })),
    }),
    [kind, draft.levels, draft.comparator],
  );

  const lines = useMemo(() => {
    const levels = draft.levels.map((l) => ({
      severity: l.severity,
      threshold: l.threshold.trim() === '' ? null : Number(l.threshold),
      recovery: l.recovery.trim() === '' ? null : Number(l.recovery),
    }));
    return thresholdLines(ast, kind, levels.filter((l) => l.threshold == null || Number.isFinite(l.threshold)));
  }, [ast, kind, draft.levels]);

  const refused = (error: CombinedError) => {
    const { fields, text: places } = serverProblems(error.graphQLErrors[0]?.extensions?.details);
    setErrors(fields);
    setTextProblems(places);
    setBanner({ tone: 'error', text: says(error) });
  };

  const save = async () => {
    setBanner(undefined);
    if (!prepared.input) {
      setErrors(prepared.errors);
      setBanner({ tone: 'error', text: 'Some fields need a fix before saving (marked below).' });
      return;
    }
    setErrors({});
    const r = saved
      ? await update({ id: saved.id, input: prepared.input, expectedVersion: saved.version })
      : await create({ input: prepared.input });
    if (r.error) return refused(r.error);
    const payload = r.data && ('createRule' in r.data ? r.data.createRule : (r.data as { updateRule: RulePayload }).updateRule);
    if (!payload) return;
    setSaved(payload.rule);
    setBanner({ tone: 'ok', text: `Saved: version ${payload.rule.version}.`, warnings: payload.warnings.map((w) => `${w.message} (at ${w.line}:${w.column})`) });
    if (!saved) onCreated(payload.rule);
  };

  const note = noteText(sync.note);
  const problemNode = sync.note.kind === 'incomplete' ? sync.note.nodeId : undefined;
  return (
    <section className="rule-editor">
      <p>
        <Link to="/rules">← Rules</Link>
      </p>
      <div className="rule-head">
        <h1>{saved ? saved.name : 'New rule'}</h1>
        {saved && <span className="muted">version {saved.version}</span>}
        {!canEdit && <span className="muted">read-only: editing rules needs an analyst</span>}
      </div>
      <div className="rule-name-row">
        <label>
          Name
          <input value={draft.name} readOnly={!canEdit} onChange={(e) => change({ name: e.target.value })} placeholder="High load on web hosts" />
          {errors.name && <span className="error field-error">{errors.name}</span>}
        </label>
        {canEdit && (
          <button type="button" onClick={() => void save()} disabled={creating || updating}>
            {creating || updating ? 'Saving…' : 'Save'}
          </button>
        )}
        {banner && (
          <div className={banner.tone === 'error' ? 'error' : 'saved'} role={banner.tone === 'error' ? 'alert' : 'status'} data-testid="save-status">
            {banner.text}
            {banner.warnings?.map((w) => (
              <div key={w} className="muted">
                warning: {w}
              </div>
            ))}
          </div>
        )}
      </div>
      {errors.form && <p className="error" role="alert">{errors.form}</p>}

      <div className="rule-views">
        <div className="card">
          <h2>Graph</h2>
          <Suspense fallback={<p className="muted">Loading the graph…</p>}>
            <RuleGraphView model={sync.model} onChange={sync.changeGraph} readOnly={!canEdit || sync.graphReadOnly} note={note} problemNode={problemNode} metrics={metrics} severity={severity} />
          </Suspense>
        </div>
        <div className="card">
          <h2>Text</h2>
          <Suspense fallback={<p className="muted">Loading the editor…</p>}>
            <RuleCodeEditor value={text} revision={sync.revision} onChange={sync.changeText} readOnly={!canEdit} metrics={metrics} serverProblems={textProblems} />
          </Suspense>
          <p className="muted rule-kind" data-testid="rule-kind">
            {kind === 'condition' && `A condition: the alert is ${draft.levels[0]?.severity ?? 'warning'} while it holds.`}
            {kind === 'value' && `A value: compared (${draft.comparator}) with each level's threshold below.`}
            {!kind && (text.trim() ? 'Not a complete rule yet: see the marks in the text.' : 'Build the rule in the graph or type it, e.g. avg(os.cpu.usage, "5m") > 90')}
          </p>
          {errors.expression && <p className="error" role="alert">{errors.expression}</p>}
          {textProblems.map((p) => (
            <p key={`${p.line}:${p.column}`} className="error" role="alert">
              {p.line}:{p.column} {p.message}
            </p>
          ))}
        </div>
      </div>

      <RuleSettings draft={draft} change={change} kind={kind} errors={errors} readOnly={!canEdit} />
      {canEdit ? (
        <BacktestPanel input={prepared.input} formErrors={prepared.errors} ruleId={saved?.id} selector={chartSelector(ast)} lines={lines} condition={kind === 'condition'} />
      ) : (
        <p className="muted">Backtests are for analysts and admins.</p>
      )}
      {saved && <LiveAlerts ruleId={saved.id} />}
    </section>
  );
}
