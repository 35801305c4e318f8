// /silences/new: a new silence, prefilled from an alert when `?alert=<id>` names one (the link in
// notification messages and the alert page's "Silence…" button): its rule, its host and its labels.
import { useQuery } from 'urql';
import { useSession } from '../../api/session.tsx';
import type { PageProps } from '../../app/page-props.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { SeverityBadge, StateBadge } from './Badges.tsx';
import { ALERT, type AlertData } from './queries.ts';
import { SilenceForm } from './SilenceForm.tsx';
import { errorText, formatValue, matchersFromAlert } from './alert-model.ts';
import './alerts.css';

export default function SilenceNewPage(_props: PageProps) {
  const { can } = useSession();
  const { query } = useLocation();
  const alertId = query.get('alert') ?? '';
  const valid = /^\d+$/.test(alertId);
  const [{ data, error, fetching }] = useQuery<AlertData>({ query: ALERT, variables: { id: alertId }, pause: !valid });
  const alert = data?.alert;
  return (
    <section>
      <h1>New silence</h1>
      {alertId && !valid && <p className="error" role="alert">“{alertId}” is not an alert id: the form starts empty.</p>}
      {error && <p className="error" role="alert">The alert to silence: {errorText(error)}</p>}
      {alert && (
        <p className="card" data-testid="silence-alert">
          From alert <Link to={`/alerts/${alert.id}`}>{alert.rule.name}</Link>
          {alert.host && <> on {alert.host.hostname}</>} — <SeverityBadge severity={alert.severity} /> <StateBadge state={alert.state} />, value{' '}
          {formatValue(alert.value)}
        </p>
      )}
      {!can('analyst') ? (
        <p className="muted" role="note">Signed in as a viewer: silences are created by analysts and admins.</p>
      ) : valid && !alert && !error ? (
        <p className="muted">{fetching ? 'Loading the alert…' : 'No data'}</p>
      ) : (
        <SilenceForm
          key={alert?.id ?? 'blank'}
          initial={alert ? matchersFromAlert({ ruleName: alert.rule.name, hostname: alert.host?.hostname, labels: alert.labels }) : []}
          done={alert ? <Link to={`/alerts/${alert.id}`}>Back to the alert</Link> : <Link to="/alerts">Back to the alerts</Link>}
        />
      )}
    </section>
  );
}
