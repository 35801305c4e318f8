// The code editor for SQL, PowerShell and WQL parameters. Its own chunk, loaded only when such a
// field is shown; Monaco itself (our bundled copy, never a CDN) is set up once in ui/monaco.ts.
import { Editor } from '@monaco-editor/react';
import '../../ui/monaco.ts';

const dark = () => matchMedia('(prefers-color-scheme: dark)').matches;

export default function MonacoField({ value, language, readOnly, label, onChange }: { value: string; language: string; readOnly: boolean; label: string; onChange(v: string): void }) {
  return (
    <div className="monaco-field nodrag nowheel nokey" data-testid="monaco-field">
      <Editor
        height="170px"
        language={language}
        // uncontrolled: a controlled value lagging a render behind fast typing would overwrite the
        // newest keys; the text changes only here (a reloaded probe mounts new nodes)
        defaultValue={value}
        theme={dark() ? 'vs-dark' : 'vs'}
        onChange={(v) => onChange(v ?? '')}
        options={{
          readOnly,
          ariaLabel: label,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          automaticLayout: true,
          fontSize: 13,
          lineNumbersMinChars: 3,
          wordWrap: 'on',
          tabSize: 2,
        }}
      />
    </div>
  );
}
