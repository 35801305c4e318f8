// A block of text to copy (a command, a secret shown once) with a Copy button: the clipboard when
// the browser allows it, else the text is selected for Ctrl+C.
import { useRef, useState } from 'react';
import './copy-text.css';

export function CopyText({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const ref = useRef<HTMLPreElement>(null);
  const [status, setStatus] = useState<string | null>(null);

  function select(): void {
    const el = ref.current;
    const selection = window.getSelection();
    if (!el || !selection) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  async function copy(): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setStatus('Copied');
    } catch {
      select();
      setStatus('Selected: press Ctrl+C (⌘C) to copy');
    }
  }

  return (
    <div className="copy-text">
      <pre ref={ref} aria-label={label} data-testid={testId} tabIndex={0} onFocus={select}>{text}</pre>
      <div className="copy-text-bar">
        <button type="button" className="secondary" aria-label={`Copy ${label}`} onClick={() => void copy()}>Copy</button>
        <span role="status" className="muted">{status}</span>
      </div>
    </div>
  );
}
