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
  const { label, min, max, step, value, disabled, onChange } = props;
  return (
    <Slider.Root
      className="range-root"
      min={min}
      max={max}
      step={step}
      value={[value[0], value[1]]}
      disabled={disabled ?? false}
      minStepsBetweenThumbs={0}
      onValueChange={(v) => onChange([v[0]!, v[1]!])}
    >
      <Slider.Track className="range-track">
        <Slider.Range className="range-fill" />
      </Slider.Track>
      <Slider.Thumb className="range-thumb" aria-label={`${label}, low end`} />
      <Slider.Thumb className="range-thumb" aria-label={`${label}, high end`} />
    </Slider.Root>
  );
}

/** The same slider with one handle, for a setting that is one number (a largest angle or shift). */
export function OneSlider(props: SliderProps & { readonly value: number; onChange(value: number): void }) {
  const { label, min, max, step, value, disabled, onChange } = props;
  return (
    <Slider.Root
      className="range-root"
      min={min}
      max={max}
      step={step}
      value={[value]}
      disabled={disabled ?? false}
      onValueChange={(v) => onChange(v[0]!)}
    >
      <Slider.Track className="range-track">
        <Slider.Range className="range-fill" />
      </Slider.Track>
      <Slider.Thumb className="range-thumb" aria-label={label} />
    </Slider.Root>
  );
}
