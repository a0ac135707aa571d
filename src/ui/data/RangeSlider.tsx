import * as Slider from '@radix-ui/react-slider';

interface SliderProps {
  /** Names the setting; each thumb's accessible name adds which end it sets. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly disabled?: boolean;
}

/**
 * A two-handle slider for a range [low, high] (Radix's slider: each handle is a focusable
 * role="slider" with its own name and value; arrows, Page Up/Down, Home and End move it).
 */
export function RangeSlider(
  props: SliderProps & { readonly value: readonly [number, number]; onChange(value: [number, number]): void },
) {
  const { label, value, onChange } = props;
  return (
    <Handles
      {...props}
      values={[value[0], value[1]]}
      names={[`${label}, low end`, `${label}, high end`]}
      onValues={(v) => onChange([v[0]!, v[1]!])}
    />
  );
}

/** The same slider with one handle, for a setting that is one number (a largest angle or shift). */
export function OneSlider(props: SliderProps & { readonly value: number; onChange(value: number): void }) {
  const { label, value, onChange } = props;
  return <Handles {...props} values={[value]} names={[label]} onValues={(v) => onChange(v[0]!)} />;
}

/** Radix's slider with one named handle per value. */
function Handles({
  min,
  max,
  step,
  disabled,
  values,
  names,
  onValues,
}: SliderProps & {
  readonly values: number[];
  readonly names: readonly string[];
  onValues(v: number[]): void;
}) {
  return (
    <Slider.Root
      className="range-root"
      min={min}
      max={max}
      step={step}
      value={values}
      disabled={disabled ?? false}
      minStepsBetweenThumbs={0}
      onValueChange={onValues}
    >
      <Slider.Track className="range-track">
        <Slider.Range className="range-fill" />
      </Slider.Track>
      {names.map((name) => (
        <Slider.Thumb key={name} className="range-thumb" aria-label={name} />
      ))}
    </Slider.Root>
  );
}
