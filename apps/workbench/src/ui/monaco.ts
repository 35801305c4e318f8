// Monaco for the whole workbench, set up once: no CDN and not its hundred languages. The core
// editor API plus only the contributions our editors use (the rule editor's suggestions, hovers,
// snippets and marker navigation; the probe fields' find, comment and folding), the sql and
// powershell basic languages, the editor worker bundled by Vite, and @monaco-editor/react pointed
// at this copy. Imported only by lazily loaded editors, so Monaco stays one shared lazy chunk.
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/hover/register';
// features/suggest/register brings only inline completions; the suggest widget is this controller
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/powershell/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
// @monaco-editor/react's types name an older monaco-editor than ours; the runtime API is the same
loader.config({ monaco: monaco as unknown as NonNullable<Parameters<typeof loader.config>[0]['monaco']> });

export { monaco };
