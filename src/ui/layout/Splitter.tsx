import { useRef } from 'react';
import type { CSSProperties, KeyboardEvent, PointerEvent } from 'react';

interface SplitterProps {
  /** "vertical": a line between columns, dragged sideways; "horizontal": between rows. */
  readonly orientation: 'vertical' | 'horizontal';
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  /** +1 when dragging right/down grows the panel, -1 when it shrinks it. */
  readonly grows: 1 | -1;
  onChange(value: number): void;
  /** Double-click: back to the default size. */
  onReset(): void;
  readonly style?: CSSProperties;
  /** Pixels per unit of `value` (1 for sizes in pixels; the column height for a share). */
  readonly scale?: number;
}

/** A draggable line between panels (also moved with the arrow keys). */
export function Splitter({
  orientation,
  label,
  value,
  min,
  max,
  grows,
  onChange,
  onReset,
  style,
  scale = 1,
}: SplitterProps) {
  const start = useRef<{ pointer: number; value: number } | null>(null);
  const along = (e: PointerEvent) => (orientation === 'vertical' ? e.clientX : e.clientY);
  const step = (e: KeyboardEvent) => {
    const keys = orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
    const sign = e.key === keys[1] ? 1 : e.key === keys[0] ? -1 : 0;
    if (sign === 0) return;
    e.preventDefault();
    onChange(value + (sign * grows * 16) / scale);
  };
  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-orientation={orientation}
      aria-valuemin={Math.round(min * 100) / 100}
      aria-valuemax={Math.round(max * 100) / 100}
      aria-valuenow={Math.round(value * 100) / 100}
      title={`${label}: drag to resize, double-click for the default size`}
      style={style}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { pointer: along(e), value };
      }}
      onPointerMove={(e) => {
        if (start.current === null) return;
        onChange(start.current.value + (grows * (along(e) - start.current.pointer)) / scale);
      }}
      onPointerUp={(e) => {
        start.current = null;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
      onDoubleClick={onReset}
      onKeyDown={step}
    />
  );
}
