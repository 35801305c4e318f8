// One rule, two views: the text (what is saved) and the graph. A graph edit rewrites the text at
// once when the graph is complete; typed text redraws the graph 300 ms after the typing stops,
// when the builder can draw it (otherwise the graph turns read-only and says why).
import { useCallback, useEffect, useRef, useState } from 'react';
import { EMPTY_GRAPH, graphText, syncFromText, type EditorGraph } from './graph-model.ts';

export type GraphNote =
  | { kind: 'ok' }
  /** the graph is being built: it has no text yet */
  | { kind: 'incomplete'; message: string; nodeId?: string }
  /** the text parses but cannot be drawn */
  | { kind: 'undrawable'; reason: string }
  /** the text does not parse: the graph shows its last drawable state */
  | { kind: 'unparsable'; reason: string };

export const TEXT_TO_GRAPH_DELAY_MS = 300;

function start(text: string): { model: EditorGraph; note: GraphNote } {
  const s = syncFromText(text, EMPTY_GRAPH);
  if (s.kind === 'draw') return { model: s.model, note: { kind: 'ok' } };
  if (s.kind === 'same') return { model: EMPTY_GRAPH, note: { kind: 'ok' } };
  return { model: EMPTY_GRAPH, note: { kind: s.kind, reason: s.reason } };
}

export function useRuleSync(initialText: string) {
  const [text, setText] = useState(initialText);
  const [initial] = useState(() => start(initialText));
  const [model, setModel] = useState<EditorGraph>(initial.model);
  const [note, setNote] = useState<GraphNote>(initial.note);
  /** bumped whenever the graph rewrites the text, so the code editor takes it in */
  const [revision, setRevision] = useState(0);
  const modelRef = useRef(model);
  modelRef.current = model;
  /**
   * The text last typed (to be drawn), undefined once the graph wrote the text. Compared with the
   * text rather than kept as a flag, so a timer of an earlier keystroke cannot consume it.
   */
  const typed = useRef<string | undefined>(undefined);

  const changeGraph = useCallback((next: EditorGraph) => {
    setModel(next);
    const t = graphText(next.graph);
    if ('text' in t) {
      typed.current = undefined;
      setText(t.text);
      setRevision((r) => r + 1);
      setNote({ kind: 'ok' });
    } else setNote({ kind: 'incomplete', message: t.error, ...(t.nodeId ? { nodeId: t.nodeId } : {}) });
  }, []);

  const changeText = useCallback((next: string) => {
    typed.current = next;
    setText(next);
  }, []);

  useEffect(() => {
    if (typed.current !== text) return;
    const timer = setTimeout(() => {
      if (typed.current !== text) return;
      const s = syncFromText(text, modelRef.current);
      if (s.kind === 'draw') setModel(s.model);
      setNote(s.kind === 'draw' || s.kind === 'same' ? { kind: 'ok' } : { kind: s.kind, reason: s.reason });
    }, TEXT_TO_GRAPH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const graphReadOnly = note.kind === 'undrawable' || note.kind === 'unparsable';
  return { text, revision, model, note, graphReadOnly, changeGraph, changeText };
}

/** The note under the graph, in words. */
export function noteText(note: GraphNote): string | undefined {
  switch (note.kind) {
    case 'ok':
      return undefined;
    case 'incomplete':
      return `Not a rule yet: ${note.message}. The text keeps its last complete version.`;
    case 'undrawable':
      return `This expression is edited as text: ${note.reason}.`;
    case 'unparsable':
      return `The text has an error (${note.reason}); fix it to edit the graph again.`;
  }
}
