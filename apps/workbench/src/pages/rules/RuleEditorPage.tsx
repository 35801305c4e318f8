// /rules/:id — the rule editor for a saved rule, or for a new one (`new`). After the first save
// the address becomes the rule's own while the editor stays as it is.
import { useState } from 'react';
import { useQuery } from 'urql';
import type { PageProps } from '../../app/page-props.ts';
import { navigate } from '../../app/router.tsx';
import { says } from '../../ui/server-error.ts';
import { METRIC_NAMES, RULE, type RuleData } from './queries.ts';
import type { SavedRule } from './rule-draft.ts';
import { RuleEditor } from './RuleEditor.tsx';
import './rules.css';

const NONE: string[] = [];

export default function RuleEditorPage({ params }: PageProps) {
  const id = params.id ?? 'new';
  const [created, setCreated] = useState<SavedRule>();
  const carried = created && created.id === id ? created : undefined;
  const fresh = id === 'new' || carried !== undefined;
  const [{ data, error, fetching }] = useQuery<RuleData>({ query: RULE, variables: { id }, pause: fresh || !/^\d+$/.test(id) });
  const [{ data: names }] = useQuery<{ metricNames: string[] }>({ query: METRIC_NAMES });
  const metrics = names?.metricNames ?? NONE;

  if (fresh) {
    return (
      <RuleEditor
        key="new"
        saved={carried}
        metrics={metrics}
        onCreated={(rule) => {
          setCreated(rule);
          navigate(`/rules/${rule.id}`, true);
        }}
      />
    );
  }
  if (!/^\d+$/.test(id)) return <p className="error" role="alert">“{id}” is not a rule id.</p>;
  if (error && !data) return <p className="error" role="alert">{says(error)}</p>;
  if (!data) return <p className="muted">{fetching ? 'Loading…' : 'No data'}</p>;
  return <RuleEditor key={id} saved={data.rule} metrics={metrics} onCreated={() => undefined} />;
}
