// A host chosen by typing part of its name. The server searches as you type and the first matches
// are listed, so every host can be picked however large the fleet (a <select> holds one page of at
// most 100). The value is the host's id, '' for "any host"; the box shows the hostname, asked from
// the server when the id came from elsewhere (the URL). An ARIA combobox: the input keeps focus,
// arrows move through the matches, Enter or a click picks, Escape closes or undoes the typing.
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useQuery } from 'urql';
import { says } from './server-error.ts';
import { MATCH_LIMIT, MAX_HOSTNAME, moveActive, SEARCH_DELAY_MS, searchArg, settleDraft, shownText, type HostChoice } from './host-picker.ts';
import './host-picker.css';

const HOST_MATCHES = `query HostMatches($first: Int, $search: String) { hosts(first: $first, search: $search) { edges { node { id hostname } } } }`;
const HOST_NAME = `query HostName($id: ID!) { host(id: $id) { id hostname } }`;

interface MatchesData {
  hosts: { edges: { node: HostChoice }[] };
}

interface NameData {
  host: HostChoice | null;
}

export interface HostPickerProps {
  /** the chosen host's id; '' for any host */
  value: string;
  onChange(hostId: string): void;
  /** the box's accessible name */
  label?: string;
}

export function HostPicker({ value, onChange, label = 'Host' }: HostPickerProps) {
  const id = useId();
  // null while nobody types: the box shows the chosen host
  const [draft, setDraft] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // the host last picked here, so its name needs no question to the server
  const [picked, setPicked] = useState<HostChoice | null>(null);

  const search = useDebounced(searchArg(draft ?? ''), SEARCH_DELAY_MS);
  const [matchesResult] = useQuery<MatchesData>({ query: HOST_MATCHES, variables: { first: MATCH_LIMIT, search }, pause: !open });
  const matches = matchesResult.data?.hosts.edges.map((e) => e.node) ?? [];
  const [nameResult] = useQuery<NameData>({ query: HOST_NAME, variables: { id: value }, pause: !value || picked?.id === value });
  const answered = nameResult.operation?.variables?.id === value && !nameResult.fetching;
  const fetched = nameResult.data?.host ?? (answered && (nameResult.data || nameResult.error) ? null : undefined);
  const text = draft ?? shownText(value, picked, fetched);
  const current = active < matches.length ? active : -1;
  const optionId = (i: number) => `${id}-option-${i}`;

  useEffect(() => {
    if (current >= 0) document.getElementById(optionId(current))?.scrollIntoView({ block: 'nearest' });
  });

  function choose(host: HostChoice | null): void {
    setPicked(host);
    setDraft(null);
    setOpen(false);
    setActive(-1);
    const next = host?.id ?? '';
    if (next !== value) onChange(next);
  }

  function type(next: string): void {
    setDraft(next);
    setOpen(true);
    setActive(-1);
    // an emptied box is "any host" at once; the list stays open for another pick
    if (next.trim() === '' && value) {
      setPicked(null);
      onChange('');
    }
  }

  function settle(): void {
    setOpen(false);
    setActive(-1);
    if (draft === null) return;
    const settled = settleDraft(draft, matches);
    if (settled) choose(settled.host);
    else setDraft(null);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive(moveActive(current, e.key === 'ArrowDown' ? 1 : -1, matches.length));
    } else if (e.key === 'Enter') {
      // picks the host; it does not submit the form around the picker
      e.preventDefault();
      const host = open ? matches[current] : undefined;
      if (host) choose(host);
      else if (draft !== null) {
        const settled = settleDraft(draft, matches);
        if (settled) choose(settled.host);
      }
    } else if (e.key === 'Escape' && (open || draft !== null)) {
      // a search box would clear itself on Escape: here it closes the list, then undoes the typing
      e.preventDefault();
      if (open) setOpen(false);
      else setDraft(null);
    }
  }

  return (
    <div className="host-picker">
      <label>
        {label}
        <input
          type="search"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-activedescendant={open && current >= 0 ? optionId(current) : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder="any host"
          maxLength={MAX_HOSTNAME}
          value={text}
          onChange={(e) => type(e.target.value)}
          onClick={() => setOpen(true)}
          onKeyDown={onKeyDown}
          onBlur={settle}
        />
      </label>
      {open && (
        <div className="host-picker-popup">
          {/* named without the word "host", so a search by the label finds only the box */}
          <ul role="listbox" id={`${id}-list`} aria-label="Matching names" hidden={matches.length === 0}>
            {matches.map((h, i) => (
              <li
                key={h.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === current}
                data-chosen={h.id === value || undefined}
                // keeps the focus in the box, so its blur does not settle the typing first
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(h)}
                onMouseMove={() => i !== current && setActive(i)}
              >
                {h.hostname}
              </li>
            ))}
          </ul>
          {matchesResult.error ? (
            <p className="error">Hosts: {says(matchesResult.error)}</p>
          ) : matches.length === 0 ? (
            <p className="muted">{matchesResult.fetching || !matchesResult.data ? 'Searching…' : search ? `No hostname contains “${search}”.` : 'No hosts yet.'}</p>
          ) : null}
        </div>
      )}
    </div>
  );
}

/** `value`, once it has stayed the same for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
