// What an analyst does to an alert: acknowledge (with an optional comment, as the mutation takes
// it), take the acknowledgement back, comment (required), resolve by hand, or silence it. A viewer
// sees the state and none of the controls.
import { useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { useSession } from '../../api/session.tsx';
import { navigate } from '../../app/router.tsx';
import { errorText } from './alert-model.ts';
import { ACKNOWLEDGE, COMMENT, RESOLVE, UNACKNOWLEDGE, type AlertDetail } from './queries.ts';

export type ActionKind = 'acknowledge' | 'unacknowledge' | 'comment' | 'resolve';

const ACTIONS: Record<ActionKind, { button: string; title: string; submit: string; required: boolean; query: string }> = {
  acknowledge: { button: 'Acknowledge', title: 'Acknowledge: someone is on it', submit: 'Acknowledge', required: false, query: ACKNOWLEDGE },
  unacknowledge: { button: 'Unacknowledge', title: 'Take the acknowledgement back', submit: 'Unacknowledge', required: false, query: UNACKNOWLEDGE },
  comment: { button: 'Comment', title: 'Add a comment to the history', submit: 'Add comment', required: true, query: COMMENT },
  resolve: { button: 'Resolve', title: 'Resolve by hand: the rule starts afresh for this instance', submit: 'Resolve', required: false, query: RESOLVE },
};

const RESOLVABLE = new Set(['pending', 'firing', 'nodata', 'stale']);

/** The actions that apply to the alert as it is now. */
function available(a: AlertDetail): ActionKind[] {
  const out: ActionKind[] = [];
  if (a.open && !a.acknowledged) out.push('acknowledge');
  if (a.acknowledged) out.push('unacknowledge');
  out.push('comment');
  if (a.open && RESOLVABLE.has(a.state)) out.push('resolve');
  return out;
}

export function isAction(v: string | null): v is ActionKind {
  return v != null && v in ACTIONS;
}

export function AlertActions({ alert, requested }: { alert: AlertDetail; requested: ActionKind | undefined }) {
  const { can } = useSession();
  const [open, setOpen] = useState<ActionKind | undefined>(requested);
  useEffect(() => setOpen(requested), [requested]);
  const actions = available(alert);
  if (!can('analyst')) {
    return requested ? <p className="muted" role="note">Signed in as a viewer: to {requested} an alert, an analyst or an admin is needed.</p> : null;
  }
  const close = () => {
    setOpen(undefined);
    // a link from a notification (?action=acknowledge) has done its job
    if (requested) navigate(`/alerts/${alert.id}`, true);
  };
  return (
    <>
      <div className="alert-actions" role="group" aria-label="alert actions">
        {actions.map((k) => (
          <button key={k} type="button" className={open === k ? '' : 'secondary'} aria-expanded={open === k} onClick={() => setOpen(open === k ? undefined : k)}>
            {ACTIONS[k].button}
          </button>
        ))}
        <button type="button" className="secondary" onClick={() => navigate(`/silences/new?alert=${alert.id}`)}>Silence…</button>
      </div>
      {open && !actions.includes(open) && (
        <p className="muted" role="note">
          {open === 'acknowledge' && alert.acknowledged
            ? `Already acknowledged by ${alert.acknowledgedBy ?? 'someone'}.`
            : `This alert cannot be ${open === 'unacknowledge' ? 'unacknowledged' : `${open}d`} now: it is ${alert.open ? alert.state : 'closed'}.`}
        </p>
      )}
      {open && actions.includes(open) && <ActionForm key={open} kind={open} alertId={alert.id} onDone={close} />}
    </>
  );
}

function ActionForm({ kind, alertId, onDone }: { kind: ActionKind; alertId: string; onDone(): void }) {
  const spec = ACTIONS[kind];
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string>();
  const [{ fetching, error }, run] = useMutation(spec.query);
  const submit = async () => {
    const text = comment.trim();
    if (spec.required && !text) return setProblem('Write the comment first.');
    if (text.length > 4000) return setProblem('A comment is at most 4000 characters.');
    setProblem(undefined);
    const r = await run({ id: alertId, comment: text || null });
    if (!r.error) onDone();
  };
  return (
    <form
      className="action-form card"
      aria-label={spec.title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <strong>{spec.title}</strong>
      <label>
        {spec.required ? 'Comment' : 'Comment (optional)'}
        <textarea rows={3} value={comment} required={spec.required} maxLength={4000} autoFocus onChange={(e) => setComment(e.target.value)} />
      </label>
      {(problem || error) && <p className="error" role="alert">{problem ?? errorText(error!)}</p>}
      <div className="buttons">
        <button type="submit" disabled={fetching}>{fetching ? 'Saving…' : spec.submit}</button>
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}
