// The rule language in Monaco: tokens (functions, metric names, durations, numbers, and/or/not),
// completion of function names (with their signatures) and of the metric names the server knows,
// hover help for functions, and diagnostics from the shared validateRule as markers.
import { FUNCTIONS, findFunction, signatureOf, validateRule, WINDOW_FUNCTIONS } from '@esmon/schema';
import type * as Monaco from 'monaco-editor/editor/editor.api';

type MonacoApi = typeof Monaco;

export const RULE_LANGUAGE = 'esmon-rule';
const KEYWORDS = ['and', 'or', 'not'];
const KEYWORD_DOCS: Record<string, string> = {
  and: 'Both conditions hold.',
  or: 'At least one condition holds.',
  not: 'The condition does not hold; binds tighter than comparisons: write not (a > b).',
};

/** What completion offers besides the functions: set by the editor as the server answers. */
export const languageState: { metrics: readonly string[] } = { metrics: [] };

let registered = false;

/** Registers the language, its themes and providers once per page load. */
export function registerRuleLanguage(monaco: MonacoApi): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: RULE_LANGUAGE });
  monaco.languages.setLanguageConfiguration(RULE_LANGUAGE, {
    // metric names are one word, dots included, so completion and double-click take all of it
    wordPattern: /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]*)*|\d*\.?\d+(?:[eE][+-]?\d+)?/,
    brackets: [['(', ')'], ['{', '}']],
    autoClosingPairs: [{ open: '(', close: ')' }, { open: '{', close: '}' }, { open: '"', close: '"' }],
  });
  monaco.languages.setMonarchTokensProvider(RULE_LANGUAGE, {
    ignoreCase: true,
    functions: FUNCTIONS.map((f) => f.name),
    keywords: KEYWORDS,
    tokenizer: {
      root: [
        [/[A-Za-z_]\w*(?=\s*\()/, { cases: { '@functions': 'predefined', '@default': 'invalid' } }],
        [/[A-Za-z_]\w*(?:\.\w+)*/, { cases: { '@keywords': 'keyword', '@default': 'variable' } }],
        [/\{/, { token: 'delimiter.curly', next: '@labels' }],
        [/"(?:\d+[wdhms])+"/, 'type'],
        [/"(?:[^"\\]|\\.)*"/, 'string'],
        [/(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/, 'number'],
        [/==|!=|<=|>=|[<>+\-*/%^]/, 'operator'],
        [/[()]/, '@brackets'],
        [/,/, 'delimiter'],
        [/\s+/, 'white'],
      ],
      labels: [
        [/\}/, { token: 'delimiter.curly', next: '@pop' }],
        [/[A-Za-z_]\w*/, 'attribute.name'],
        [/=~|!~|!=|=/, 'operator'],
        [/"(?:[^"\\]|\\.)*"/, 'attribute.value'],
        [/[,\s]+/, 'white'],
      ],
    },
  } as Monaco.languages.IMonarchLanguage);
  for (const [name, base] of [['esmon-light', 'vs'], ['esmon-dark', 'vs-dark']] as const) {
    monaco.editor.defineTheme(name, {
      base,
      inherit: true,
      rules: [
        { token: 'predefined', foreground: base === 'vs' ? '7c3aed' : 'c4b5fd', fontStyle: 'bold' },
        { token: 'variable', foreground: base === 'vs' ? '0f766e' : '5eead4' },
        { token: 'type', foreground: base === 'vs' ? 'b45309' : 'fbbf24' },
        { token: 'keyword', foreground: base === 'vs' ? '2563eb' : '93c5fd', fontStyle: 'bold' },
      ],
      colors: {},
    });
  }
  monaco.languages.registerCompletionItemProvider(RULE_LANGUAGE, {
    triggerCharacters: ['.', '('],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const before = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: word.startColumn });
      // right after "fn(": the metric comes first
      const wantsMetric = /\(\s*$/.test(before);
      const K = monaco.languages.CompletionItemKind;
      const functions = FUNCTIONS.map((f) => ({
        label: f.name,
        kind: K.Function,
        detail: signatureOf(f),
        documentation: f.doc,
        insertText: (WINDOW_FUNCTIONS as readonly string[]).includes(f.name)
          ? `${f.name}(\${1:metric}, "\${2:5m}"${f.name === 'percentile' ? ', ${3:95}' : ''})`
          : `${f.name}(\${1:x})`,
        insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet,
        sortText: `${wantsMetric ? 2 : 0}${f.name}`,
        range,
      }));
      const metrics = languageState.metrics.map((m) => ({ label: m, kind: K.Field, detail: 'metric', insertText: m, sortText: `${wantsMetric ? 0 : 1}${m}`, range }));
      const keywords = KEYWORDS.map((k) => ({ label: k, kind: K.Keyword, detail: KEYWORD_DOCS[k], insertText: k, sortText: `3${k}`, range }));
      return { suggestions: [...functions, ...metrics, ...keywords] };
    },
  });
  monaco.languages.registerHoverProvider(RULE_LANGUAGE, {
    provideHover(model, position) {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const name = word.word.toLowerCase();
      const f = findFunction(name);
      if (f) return { range, contents: [{ value: `**${signatureOf(f)}**` }, { value: f.doc }] };
      if (KEYWORD_DOCS[name]) return { range, contents: [{ value: `**${name}**` }, { value: KEYWORD_DOCS[name] }] };
      if (languageState.metrics.includes(word.word)) return { range, contents: [{ value: `metric **${word.word}**` }] };
      return null;
    },
  });
}

export interface PlacedProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Markers for the text: the shared validator's diagnostics (offsets → ranges) and the server's
 * problems (line:column, underlined to the end of the word there).
 */
export function setRuleMarkers(monaco: MonacoApi, model: Monaco.editor.ITextModel, known: readonly string[], server: readonly PlacedProblem[]): void {
  const text = model.getValue();
  const S = monaco.MarkerSeverity;
  const { diagnostics } = text.trim()
    ? validateRule(text, { expect: 'condition-or-value', ...(known.length ? { knownMetrics: new Set(known) } : {}) })
    : { diagnostics: [] };
  const local = diagnostics.map((d) => {
    const start = model.getPositionAt(d.start);
    const end = model.getPositionAt(Math.max(d.end, d.start + 1));
    return { severity: d.severity === 'error' ? S.Error : S.Warning, message: d.message, startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
  });
  monaco.editor.setModelMarkers(model, 'esmon-rule', local);
  monaco.editor.setModelMarkers(
    model,
    'esmon-server',
    server.map((p) => {
      const line = Math.min(Math.max(1, p.line), model.getLineCount());
      const word = model.getWordAtPosition({ lineNumber: line, column: p.column });
      return { severity: S.Error, message: p.message, startLineNumber: line, startColumn: p.column, endLineNumber: line, endColumn: word ? word.endColumn : p.column + 1 };
    }),
  );
}
