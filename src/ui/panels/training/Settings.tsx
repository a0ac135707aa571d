import type { ReactNode } from 'react';

export function Setting({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="train-setting">
      <span>{label}</span>
      {children}
    </label>
  );
}

interface NumberSettingProps {
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  /** Omitted for whole numbers. */
  readonly step?: number;
  readonly disabled: boolean;
  onChange(value: number): void;
}

/** A number field that passes on only values within [min, max] (whole ones unless a step is given). */
export function NumberSetting({ label, value, min, max, step, disabled, onChange }: NumberSettingProps) {
  return (
    <Setting label={label}>
      <input
        type="number"
        min={min}
        max={max}
        step={step ?? 1}
        value={value}
        disabled={disabled}
        onChange={(e) => {
          const n = step === undefined ? Math.round(Number(e.target.value)) : Number(e.target.value);
          if (Number.isFinite(n) && n >= min && n <= max) onChange(n);
        }}
      />
    </Setting>
  );
}
