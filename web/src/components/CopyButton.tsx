// A Copy button for one value on the page. The clipboard API needs a secure context and the
// user's permission; where it is missing or refused, the value's text is selected instead so
// Ctrl+C (⌘C) copies it, and the button says so.
import { useEffect, useRef, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'selected';

/** Selects an element's text (or an input's value) so the person can copy it by hand. */
function selectText(el: HTMLElement): void {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    el.focus();
    el.select();
    return;
  }
  const selection = window.getSelection();
  if (!selection) return;
  selection.removeAllRanges();
  const range = document.createRange();
  range.selectNodeContents(el);
  selection.addRange(range);
}

/**
 * Copies `value`; `what` names it for screen readers ("Copy Transaction Item ID"), and `target`
 * is the id of the element showing it, selected when the clipboard cannot be written.
 */
export function CopyButton({ value, what, target }: { value: string; what: string; target: string }) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    window.clearTimeout(timer.current);
    let next: CopyState = 'selected';
    try {
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(value);
        next = 'copied';
      }
    } catch {
      // Refused (no permission, not a secure context): fall back to selecting the text.
    }
    if (next === 'selected') {
      const el = document.getElementById(target);
      if (el) selectText(el);
    }
    setState(next);
    timer.current = window.setTimeout(() => setState('idle'), next === 'copied' ? 2500 : 8000);
  };

  return (
    <span className="copy">
      <button type="button" className={`copy-button${state === 'copied' ? ' copied' : ''}`} data-state={state} onClick={() => void copy()}>
        {state === 'copied' ? (
          <>
            <span aria-hidden="true">✓ </span>Copied
          </>
        ) : (
          'Copy'
        )}
        <span className="sr-only"> {what}</span>
      </button>
      <span role="status" className="small muted copy-status">
        {state === 'copied' ? '' : state === 'selected' ? 'Selected: press Ctrl+C (⌘C) to copy' : ''}
        <span className="sr-only">{state === 'copied' ? `${what} copied` : ''}</span>
      </span>
    </span>
  );
}
