// A new silence: matchers (each editable or removable; = != =~ !~), how long (1h, 4h, 1d or a
// custom span), why (required) and whether alerts already announced still announce their first
// recovery. Saved with createSilence; the server's reasons are shown as it gives them.
import { useState, type ReactNode } from 'react';
import { useMutation } from 'urql';
import { CREATE_SILENCE, type CreatedSilence } from './queries.ts';
import { DURATION_PRESETS, MATCHER_OPS, errorText, formatMinutes, matcherProblem, parseDuration, type Matcher, type MatcherOp } from './alert-model.ts';

interface Row extends Matcher {
  key: number;
}

let nextKey = 1;
const withKey = (m: Matcher): Row => ({ ...m, key: nextKey++ });

export function SilenceForm({ initial, done }: { initial: Matcher[]; done?: ReactNode }) {
  const [rows, setRows] = useState<Row[]>(() => (initial.length ? initial : [{ name: '', op: '=' as const, value: '' }]).map(withKey));
  const [preset, setPreset] = useState<string>('60');
  const [custom, setCustom] = useState('');
  const [comment, setComment] = useState('');
  const [sendFirstRecovery, setSendFirstRecovery] = useState(true);
  const [problem, setProblem] = useState<string>();
  const [{ fetching, error, data }, create] = useMutation<CreatedSilence>(CREATE_SILENCE);

  if (data && !error) {
    const s = data.createSilence;
    return (
      <div className="card" role="status" data-testid="silence-created">
        <strong>Silence {s.id} created</strong> ({s.state}) until {new Date(s.endsAt).toLocaleString()}:{' '}
        {s.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ')}.
        {done && <p>{done}</p>}
      </div>
    );
  }

  const update = (key: number, patch: Partial<Matcher>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const customMinutes = parseDuration(custom);
  const minutes = preset === 'custom' ? customMinutes : Number(preset);

  const submit = async () => {
    if (rows.length === 0) return setProblem('Add at least one matcher.');
    for (const r of rows) {
      const p = matcherProblem(r);
      if (p) return setProblem(p);
    }
    if (minutes === undefined) return setProblem('Give the duration as 90m, 4h, 2d or 1w (at most a year).');
    if (!comment.trim()) return setProblem('Say why: the comment is required.');
    setProblem(undefined);
    await create({
      input: {
        matchers: rows.map(({ name, op, value }) => ({ name: name.trim(), op, value })),
        durationMinutes: minutes,
        comment: comment.trim(),
        sendFirstRecovery,
      },
    });
  };

  return (
    <form
      className="silence-form card"
      aria-label="new silence"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset className="plain">
        <legend>Matchers — an alert is silenced when all of them hold</legend>
        {rows.map((r, i) => (
          <div key={r.key} className="matcher" data-testid="matcher">
            <input aria-label={`Matcher ${i + 1} name`} value={r.name} placeholder="rule, host or a label" required onChange={(e) => update(r.key, { name: e.target.value })} />
            <select aria-label={`Matcher ${i + 1} operator`} value={r.op} onChange={(e) => update(r.key, { op: e.target.value as MatcherOp })}>
              {MATCHER_OPS.map((op) => (
                <option key={op} value={op}>{op}</option>
              ))}
            </select>
            <input aria-label={`Matcher ${i + 1} value`} value={r.value} onChange={(e) => update(r.key, { value: e.target.value })} />
            <button type="button" className="secondary" aria-label={`Remove matcher ${i + 1}`} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary" disabled={rows.length >= 20} onClick={() => setRows((rs) => [...rs, withKey({ name: '', op: '=', value: '' })])}>
          Add matcher
        </button>
      </fieldset>
      <fieldset className="plain">
        <legend>Duration</legend>
        <div className="presets">
          {DURATION_PRESETS.map((p) => (
            <label key={p.label}>
              <input type="radio" name="duration" checked={preset === String(p.minutes)} onChange={() => setPreset(String(p.minutes))} />
              {p.label}
            </label>
          ))}
          <label>
            <input type="radio" name="duration" checked={preset === 'custom'} onChange={() => setPreset('custom')} />
            custom
          </label>
          {preset === 'custom' && (
            <input aria-label="Custom duration" value={custom} placeholder="e.g. 90m, 2h30m, 3d" autoFocus onChange={(e) => setCustom(e.target.value)} />
          )}
          {preset === 'custom' && custom && <span className={customMinutes ? 'muted' : 'error'}>{customMinutes ? formatMinutes(customMinutes) : 'not a duration'}</span>}
        </div>
        {minutes !== undefined && <p className="muted">Ends {new Date(Date.now() + minutes * 60_000).toLocaleString()}.</p>}
      </fieldset>
      <label>
        Comment (required): a ticket, a change, a reason
        <textarea rows={3} value={comment} required maxLength={2000} onChange={(e) => setComment(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={sendFirstRecovery} onChange={(e) => setSendFirstRecovery(e.target.checked)} />
        Send first recovery: alerts already announced still announce when they recover
      </label>
      {(problem || error) && <p className="error" role="alert">{problem ?? errorText(error!)}</p>}
      <div>
        <button type="submit" disabled={fetching}>{fetching ? 'Saving…' : 'Create silence'}</button>
      </div>
    </form>
  );
}
