// The code editor for SQL, PowerShell and WQL parameters. Its own chunk, loaded only when such a
// field is shown. Monaco comes from our bundle, never a CDN: the editor core with a few editing
// features, only the sql and powershell basic languages, and the editor worker built by Vite.
import { Editor, loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/powershell/register';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
// @monaco-editor/react's types name an older monaco-editor than ours; the runtime API is the same
loader.config({ monaco: monaco as unknown as Parameters<typeof loader.config>[0]['monaco'] });

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
