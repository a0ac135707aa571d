export interface ProgressProps {
  readonly running: boolean;
  /** Points done of all (a slice), or the fraction done (a comparison). */
  readonly done?: number;
  readonly total?: number;
  readonly fraction?: number;
  readonly secondsLeft: number | null;
  readonly seconds: number;
  readonly label: string;
  readonly detail?: string;
}

const time = (s: number) =>
  s < 60 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

/** A progress bar with what is done, the time spent and (while running) the time left. */
export function Progress({
  running,
  done,
  total,
  fraction,
  secondsLeft,
  seconds,
  label,
  detail,
}: ProgressProps) {
  const share = fraction ?? (total !== undefined && total > 0 ? (done ?? 0) / total : 0);
  const count =
    fraction !== undefined
      ? `${Math.round(fraction * 100)}%`
      : `${(done ?? 0).toLocaleString('en-US')} of ${(total ?? 0).toLocaleString('en-US')}`;
  return (
    <div className="surface-progress" role="status" aria-live="polite">
      <div className="bar" aria-hidden="true">
        <div style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
      <span>
        {label}
        {detail ? `: ${detail}` : ''} · {count} · {time(seconds)}
        {running && secondsLeft !== null ? ` · about ${time(secondsLeft)} left` : ''}
      </span>
    </div>
  );
}
