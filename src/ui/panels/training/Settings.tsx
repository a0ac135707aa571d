import type { ReactNode } from 'react';
import type { ParamSpec } from '../../../../nodes/params';

export function Setting({ label, help, children }: { label: string; help?: string; children: ReactNode }) {
  return (
    <label className="train-setting" title={help}>
      <span>{label}</span>
      {children}
    </label>
  );
}

interface NumberSettingProps {
  readonly label: string;
  readonly help?: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  /** Omitted for whole numbers. */
  readonly step?: number;
  readonly disabled: boolean;
  onChange(value: number): void;
}

/** A number field that passes on only values within [min, max] (whole ones unless a step is given). */
export function NumberSetting({
  label,
  help,
  value,
  min,
  max,
  step,
  disabled,
  onChange,
}: NumberSettingProps) {
  return (
    <Setting label={label} {...(help !== undefined && { help })}>
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

interface SettingFieldProps {
  readonly spec: ParamSpec;
  readonly fallbackLabel: string;
  readonly value: number | string | boolean;
  readonly disabled: boolean;
  onChange(value: number | string): void;
}

/** One training setting, drawn from its declaration (range, step, choices, help). */
export function SettingField({ spec, fallbackLabel, value, disabled, onChange }: SettingFieldProps) {
  const label = spec.label ?? fallbackLabel;
  if (spec.type === 'choice')
    return (
      <Setting label={label} help={spec.help}>
        <select value={String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          {spec.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Setting>
    );
  if (spec.type === 'bool' || spec.type === 'autoInt') return null;
  return (
    <NumberSetting
      label={label}
      help={spec.help}
      value={Number(value)}
      min={spec.min}
      max={spec.max}
      {...(spec.type === 'float' && { step: spec.step })}
      disabled={disabled}
      onChange={onChange}
    />
  );
}

interface SettingFieldsProps<K extends string> {
  readonly specs: Readonly<Record<K, ParamSpec>>;
  readonly keys: readonly K[];
  readonly values: Readonly<Record<K, number | string | boolean>>;
  readonly disabled: boolean;
  onChange(patch: Partial<Record<K, number | string>>): void;
}

/** The fields of the chosen settings, in order, each drawn from its declaration. */
export function SettingFields<K extends string>({
  specs,
  keys,
  values,
  disabled,
  onChange,
}: SettingFieldsProps<K>) {
  return keys.map((key) => (
    <SettingField
      key={key}
      spec={specs[key]}
      fallbackLabel={key}
      value={values[key]}
      disabled={disabled}
      onChange={(value) => onChange({ [key]: value } as Partial<Record<K, number | string>>)}
    />
  ));
}
