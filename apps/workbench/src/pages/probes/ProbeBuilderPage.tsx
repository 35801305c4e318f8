// The probe builder (`/probes/:id`, `new` for a new one): settings and targets, the palette and
// the canvas of steps, saving with the server's problems placed on the fields it names, and a
// run on a host's agent whose trace colours the steps.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useSession } from '../../api/session.tsx';
import type { PageProps } from '../../app/page-props.ts';
import { Link, navigate } from '../../app/router.tsx';
import { CREATE, DELETE, PROBE, RUN, UPDATE, useHosts, usePlugins, type ProbeRow } from './api.ts';
import { BuilderContext, type BuilderApi } from './builder-context.ts';
import { Canvas } from './Canvas.tsx';
import { emptyDraft, fromDefinition, moveStep, newStep, placeAfter, toDefinition, type ProbeDefinition, type ProbeDraft } from './model.ts';
import { Palette } from './Palette.tsx';
import { RunPanel } from './RunPanel.tsx';
import { detailsOf, placeIssues, type ErrorMap } from './server-errors.ts';
import { SettingsPanel } from './SettingsPanel.tsx';
import { asTrace, samplesByStep, type ProbeTrace } from './trace.ts';
import './probes.css';

type Saved = { id: string; version: number; snapshot: string };

/** The server's words without urql's "[GraphQL] " prefix. */
const words = (e: { message: string }) => e.message.replace(/^\[(GraphQL|Network)\] /, '');

export default function ProbeBuilderPage({ params }: PageProps) {
  const isNew = params.id === 'new';
  const { can } = useSession();
  const canEdit = can('analyst');
  const { manifests, error: pluginsError } = usePlugins();
  const { hosts, error: hostsError } = useHosts();
  const [{ data, error: loadError }, reload] = useQuery<{ probe: ProbeRow }>({ query: PROBE, variables: { id: params.id }, pause: isNew });
  const [, create] = useMutation(CREATE);
  const [, update] = useMutation(UPDATE);
  const [, remove] = useMutation(DELETE);
  const [, runNow] = useMutation(RUN);

  const [draft, setDraft] = useState<ProbeDraft>(emptyDraft);
  const [saved, setSaved] = useState<Saved>();
  const [errors, setErrors] = useState<ErrorMap>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<{ trace?: ProbeTrace; error?: string; definition: ProbeDefinition; hostId: string; version: number }>();

  // a stored probe becomes the draft when it arrives, unless it is the version this page just saved
  const probe = isNew ? undefined : data?.probe;
  useEffect(() => {
    if (!probe || (saved?.id === probe.id && saved.version === probe.version)) return;
    const d = fromDefinition(probe.definition as ProbeDefinition);
    setDraft(d);
    setSaved({ id: probe.id, version: probe.version, snapshot: JSON.stringify(toDefinition(d).definition) });
    setErrors({});
    setRun(undefined);
    // `saved` is compared, not followed: only a newly arrived probe resets the draft
  }, [probe]);

  // from a stored probe to /probes/new (the page is not remounted): start afresh
  useEffect(() => {
    if (!isNew) return;
    setDraft(emptyDraft());
    setSaved(undefined);
    setErrors({});
    setMessage(undefined);
    setRun(undefined);
  }, [isNew]);

  const dirty = !saved || JSON.stringify(toDefinition(draft).definition) !== saved.snapshot;

  /** Saves the draft; the probe's id and new version, or undefined with the problems shown. */
  const save = async (): Promise<Saved | undefined> => {
    const { definition, origins } = toDefinition(draft);
    setBusy(true);
    setMessage(undefined);
    const r = saved
      ? await update({ id: saved.id, d: definition, v: saved.version })
      : await create({ d: definition });
    setBusy(false);
    if (r.error) {
      const issues = detailsOf(r.error);
      setErrors(placeIssues(issues, draft.steps, origins));
      setMessage(issues.length > 1 ? `Not saved: ${issues.length} problems, shown where they are. ${words(r.error)}` : `Not saved: ${words(r.error)}`);
      return undefined;
    }
    const row = (r.data?.createProbe ?? r.data?.updateProbe) as ProbeRow;
    setErrors({});
    const now = { id: row.id, version: row.version, snapshot: JSON.stringify(definition) };
    setSaved(now);
    setMessage(`Saved as version ${row.version}.`);
    if (isNew) navigate(`/probes/${row.id}`, true);
    return now;
  };

  const onRun = async (hostId: string) => {
    const ran = dirty ? await save() : saved;
    if (!ran) return;
    const { id, version } = ran;
    const definition = toDefinition(draft).definition;
    setBusy(true);
    setRun({ definition, hostId, version });
    const r = await runNow({ p: id, h: hostId });
    setBusy(false);
    const trace = asTrace(r.data?.runProbeNow);
    setRun({ definition, hostId, version, ...(r.error ? { error: words(r.error) } : trace ? { trace } : { error: 'the agent answered without a trace' }) });
  };

  const onDelete = async () => {
    if (!saved || !confirm(`Delete the probe “${draft.name}”? Agents stop running it.`)) return;
    const r = await remove({ id: saved.id });
    if (r.error) setMessage(words(r.error));
    else navigate('/probes');
  };

  const updateStep = useCallback<BuilderApi['updateStep']>((key, change) => setDraft((d) => ({ ...d, steps: d.steps.map((s) => (s.key === key ? change(s) : s)) })), []);
  const addStep = (plugin: string) => {
    const step = newStep(plugin, draft.steps.map((s) => s.id));
    setDraft((d) => ({ ...d, steps: [...d.steps, step] }));
    return step.key;
  };

  const runSamples = useMemo(() => (run?.trace ? samplesByStep(run.trace, run.definition, manifests) : undefined), [run, manifests]);
  const api: BuilderApi = {
    draft,
    manifests,
    errors,
    ...(run?.trace && runSamples ? { run: { steps: new Map(run.trace.steps.map((s) => [s.id, s])), samples: runSamples } } : {}),
    canEdit,
    updateStep,
    removeStep: (key) => setDraft((d) => ({ ...d, steps: d.steps.filter((s) => s.key !== key) })),
    moveStep: (key, delta) => setDraft((d) => moveStep(d, key, delta)),
  };

  if (loadError) return <p className="error" role="alert">{words(loadError)}</p>;
  if (!isNew && !saved) return <p className="muted">Loading…</p>;

  return (
    <BuilderContext.Provider value={api}>
      <section className="probe-builder">
        <header className="builder-head">
          <Link to="/probes">← Probes</Link>
          <h1>{isNew ? 'New probe' : draft.name || 'Probe'}</h1>
          {saved && <span className="badge">version {saved.version}</span>}
          {dirty && canEdit && <span className="muted">unsaved changes</span>}
          <span className="spacer" />
          {canEdit && (
            <>
              {saved && (
                <button type="button" className="danger" onClick={() => void onDelete()}>
                  Delete
                </button>
              )}
              <button type="button" disabled={busy || !dirty} onClick={() => void save()}>
                Save
              </button>
            </>
          )}
        </header>
        {message && (
          <p className={message.startsWith('Saved') ? 'muted' : 'error'} role={message.startsWith('Saved') ? 'status' : 'alert'} data-testid="save-message">
            {message}
            {message.includes('newer version') && (
              <button type="button" className="link" onClick={() => {
                  setSaved(undefined);
                  reload({ requestPolicy: 'network-only' });
                }}>
                {' '}
                Load the current version
              </button>
            )}
          </p>
        )}
        {errors.general && <p className="error" role="alert">{errors.general}</p>}
        {pluginsError && <p className="error" role="alert">{words(pluginsError)}</p>}
        <SettingsPanel draft={draft} onChange={setDraft} hosts={hosts} {...(hostsError ? { hostsError } : {})} errors={errors} disabled={!canEdit} />
        <div className="builder-main">
          <Palette manifests={manifests} onAdd={addStep} disabled={!canEdit} />
          <Canvas
            keys={draft.steps.map((s) => s.key)}
            onAdd={addStep}
            onPlaceAfter={(key, after) => setDraft((d) => placeAfter(d, key, after))}
            canEdit={canEdit}
          />
        </div>
        {canEdit ? (
          <RunPanel
            hosts={hosts}
            onRun={(h) => void onRun(h)}
            running={busy}
            {...(draft.steps.length === 0 ? { blocked: 'add a step first' } : {})}
            dirty={dirty}
            {...(run?.error ? { error: run.error } : {})}
            {...(run?.trace ? { trace: run.trace } : {})}
            {...(runSamples ? { samplesByStep: runSamples } : {})}
            {...(run ? { hostname: hosts.find((h) => h.id === run.hostId)?.hostname, version: run.version } : {})}
          />
        ) : (
          <p className="muted">Running a probe on a host needs the analyst role.</p>
        )}
      </section>
    </BuilderContext.Provider>
  );
}
