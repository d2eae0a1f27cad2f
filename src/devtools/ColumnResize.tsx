import { useRef } from 'preact/hooks';
import { dragBorder, type ColumnId, type ColumnWidths } from '../shared/list-columns';

/**
 * The border between two header cells, dragged to resize them (see dragBorder): sits at the
 * right edge of the `left` column's header cell. `onResize` gets the two columns' new widths on
 * every move, and `done` on release (then they are to be remembered). A click on it does not sort.
 */
export function ResizeHandle({ left, right, onResize }: { left: ColumnId; right: ColumnId; onResize(widths: ColumnWidths, done: boolean): void }) {
  // Kept across redraws: every move redraws the list.
  const at = useRef<{ x: number; left: number; right: number; last: ColumnWidths } | undefined>(undefined);
  return (
    <span
      class="col-resize"
      role="separator"
      aria-orientation="vertical"
      title="Drag to resize"
      data-testid={`resize-${left}`}
      onClick={(e) => e.stopPropagation()}
      onPointerDown={(e) => {
        const handle = e.currentTarget as HTMLElement;
        const th = handle.parentElement!;
        const next = th.nextElementSibling as HTMLElement | null;
        if (!next) return;
        e.preventDefault();
        e.stopPropagation();
        handle.setPointerCapture(e.pointerId);
        // The drawn widths: Name's is whatever it has now.
        at.current = { x: e.clientX, left: th.getBoundingClientRect().width, right: next.getBoundingClientRect().width, last: {} };
      }}
      onPointerMove={(e) => {
        const drag = at.current;
        if (!drag) return;
        drag.last = dragBorder(left, right, drag, e.clientX - drag.x);
        onResize(drag.last, false);
      }}
      onPointerUp={(e) => {
        const drag = at.current;
        if (!drag) return;
        at.current = undefined;
        onResize(dragBorder(left, right, drag, e.clientX - drag.x), true);
      }}
      onPointerCancel={() => {
        if (at.current) onResize(at.current.last, true);
        at.current = undefined;
      }}
    />
  );
}
