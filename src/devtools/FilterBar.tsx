import { useState } from 'preact/hooks';
import { KIND_CHIPS, type KindChip } from '../shared/kind-chips';
import { acceptSuggestion, suggest, type Suggestions } from '../shared/filter-suggestions';
import type { PanelStore } from './store';

const NO_SUGGESTIONS: Suggestions = { from: 0, to: 0, items: [] };

/**
 * The filter box (the filter language, with suggestions: ↑/↓ choose, Tab or Enter accepts,
 * Escape closes), what it could not read, and the kind chips (a click picks one, Ctrl/⌘-click
 * adds or removes one, as in Chrome's Network panel).
 */
export function FilterBar({ store, inputRef }: { store: PanelStore; inputRef: { current: HTMLInputElement | null } }) {
  const [suggestions, setSuggestions] = useState<Suggestions>(NO_SUGGESTIONS);
  const [active, setActive] = useState(0);
  const open = suggestions.items.length > 0;
  const close = () => setSuggestions(NO_SUGGESTIONS);
  const refresh = (el: HTMLInputElement) => {
    // An empty box offers nothing until something is typed (focusing it opens no list).
    if (!el.value.trim()) return close();
    const cursor = el.selectionStart ?? el.value.length;
    const next = suggest(el.value, cursor, store.seenValues);
    setSuggestions(next);
    setActive(0);
  };
  const accept = (item: string) => {
    const el = inputRef.current;
    if (!el) return;
    const { query, cursor } = acceptSuggestion(el.value, suggestions, item);
    el.value = query;
    el.setSelectionRange(cursor, cursor);
    store.setText(query);
    // A key accepted ("method:"): go on to its values.
    if (item.endsWith(':')) refresh(el);
    else close();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = suggestions.items.length;
      setActive((active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Tab' || e.key === 'Enter') {
      e.preventDefault();
      accept(suggestions.items[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };
  const chips = store.chips.value;
  const onChip = (e: MouseEvent, chip: KindChip) => {
    if (e.ctrlKey || e.metaKey) store.setChips(chips.includes(chip) ? chips.filter((c) => c !== chip) : [...chips, chip]);
    else store.setChips([chip]);
  };
  const problems = store.problems.value;
  return (
    <div class="filter-bar">
      <span class="filter-box">
        <input
          ref={inputRef}
          type="search"
          placeholder="Filter: text, /regex/, method:, status-code:, domain:, is:running, -negate…"
          spellcheck={false}
          value={store.text.value}
          onInput={(e) => {
            const el = e.target as HTMLInputElement;
            store.setText(el.value);
            refresh(el);
          }}
          onKeyDown={onKeyDown}
          onClick={(e) => refresh(e.target as HTMLInputElement)}
          onFocus={(e) => refresh(e.target as HTMLInputElement)}
          onBlur={close}
          aria-invalid={problems.length > 0}
          data-testid="filter-text"
        />
        {open && (
          <ul class="suggestions" role="listbox" data-testid="filter-suggestions">
            {suggestions.items.map((item, i) => (
              <li
                key={item}
                role="option"
                aria-selected={i === active}
                class={i === active ? 'active' : ''}
                data-testid="filter-suggestion"
                // mousedown, before the input's blur closes the list.
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(item);
                }}
              >
                {item}
              </li>
            ))}
          </ul>
        )}
      </span>
      <span class="chips" role="group" aria-label="Kinds">
        <button class={chips.length === 0 ? 'chip on' : 'chip'} aria-pressed={chips.length === 0} onClick={() => store.setChips([])} data-testid="chip-all">
          All
        </button>
        {KIND_CHIPS.map((c) => (
          <button key={c.id} class={chips.includes(c.id) ? 'chip on' : 'chip'} aria-pressed={chips.includes(c.id)} onClick={(e) => onChip(e, c.id)} data-testid={`chip-${c.id}`}>
            {c.label}
          </button>
        ))}
      </span>
      {problems.length > 0 && (
        <ul class="filter-problems warn" data-testid="filter-problems">
          {problems.map((p) => (
            <li key={`${p.start}:${p.end}`} data-testid="filter-problem">
              {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
