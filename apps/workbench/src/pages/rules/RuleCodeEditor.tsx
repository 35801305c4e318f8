// The rule as text: Monaco with the rule language, its completion, hovers and markers (the shared
// validator's, and the server's from a refused save). Loaded lazily with Monaco itself.
import Editor from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import { monaco } from '../../ui/monaco.ts';
import { languageState, registerRuleLanguage, RULE_LANGUAGE, setRuleMarkers, type PlacedProblem } from './rule-language.ts';

export interface RuleCodeEditorProps {
  value: string;
  /** changes when `value` was rewritten elsewhere (the graph): only then is it put in the editor */
  revision: number;
  onChange(text: string): void;
  readOnly: boolean;
  metrics: readonly string[];
  serverProblems: readonly PlacedProblem[];
}

const dark = () => matchMedia('(prefers-color-scheme: dark)').matches;

export default function RuleCodeEditor({ value, revision, onChange, readOnly, metrics, serverProblems }: RuleCodeEditorProps) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [ready, setReady] = useState(false);
  const writing = useRef(false);
  languageState.metrics = metrics;

  // Typed text stays the editor's own (a controlled value would race fast typing); text the graph
  // wrote replaces the model's as one undoable edit.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!ready || !model || model.getValue() === value) return;
    writing.current = true;
    model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
    model.pushStackElement();
    writing.current = false;
    // `value` left out on purpose: only a new revision brings outside text
  }, [ready, revision]);

  // markers follow the text, the known metrics and the server's last answer
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!ready || !model) return;
    const timer = setTimeout(() => setRuleMarkers(monaco, model, metrics, serverProblems), 150);
    return () => clearTimeout(timer);
  }, [ready, value, metrics, serverProblems]);

  // `nokey`: Monaco types through EditContext (a plain div, not a textarea), so React Flow would
  // take Space (pan) and Backspace/Delete (remove the selected node) for itself without it
  return (
    <div className="rule-code nokey" data-testid="rule-code">
      <Editor
        height="110px"
        language={RULE_LANGUAGE}
        theme={dark() ? 'esmon-dark' : 'esmon-light'}
        defaultValue={value}
        // @monaco-editor/react is typed against another monaco-editor copy; this is the one it runs
        beforeMount={() => registerRuleLanguage(monaco)}
        onMount={(editor) => {
          editorRef.current = editor as unknown as monaco.editor.IStandaloneCodeEditor;
          setReady(true);
        }}
        onChange={(text) => {
          if (!writing.current) onChange(text ?? '');
        }}
        loading={<p className="muted">Loading the editor…</p>}
        options={{
          readOnly,
          ariaLabel: 'Rule expression',
          minimap: { enabled: false },
          lineNumbers: 'on',
          lineNumbersMinChars: 2,
          folding: false,
          glyphMargin: false,
          wordWrap: 'on',
          fontSize: 14,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          fixedOverflowWidgets: true,
          renderLineHighlight: 'none',
          overviewRulerLanes: 0,
          quickSuggestions: { other: true, strings: false, comments: false },
          suggestOnTriggerCharacters: true,
          tabCompletion: 'on',
        }}
      />
    </div>
  );
}
