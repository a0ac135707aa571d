import { useEffect, useId, useState } from 'react';
import type { ParamSpec } from '../../../nodes/params';

interface Props {
  readonly name: string;
  readonly spec: ParamSpec;
  readonly value: number | string | boolean;
  /** Returns null when accepted, or why not. */
  onChange(value: number | string | boolean): string | null;
}

/** One inspector field, generated from the parameter's declaration. */
export function ParamField({ name, spec, value, onChange }: Props) {
  const id = useId();
  const label = spec.label ?? name;
  const [problem, setProblem] = useState<string | null>(null);
  const help = <small className="field-help">{problem ?? spec.help}</small>;

  if (spec.type === 'bool')
    return (
      <div className="field field-check">
        <label htmlFor={id}>
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
          />{' '}
          {label}
        </label>
        {help}
      </div>
    );

  if (spec.type === 'choice')
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {spec.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {help}
      </div>
    );

  const auto = spec.type === 'autoInt' && value === 'auto';
  return (
    <div className={`field${problem ? ' has-problem' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="field-row">
        <NumberInput
          id={id}
          value={auto ? '' : Number(value)}
          disabled={auto}
          min={spec.min}
          max={spec.max}
          step={spec.type === 'float' ? spec.step : 1}
          integer={spec.type !== 'float'}
          onValid={(n) => setProblem(onChange(n))}
          onInvalid={setProblem}
        />
        {spec.type === 'autoInt' && (
          <label className="auto-toggle">
            <input
              type="checkbox"
              checked={auto}
              onChange={(e) => onChange(e.target.checked ? 'auto' : spec.min === 1 ? 16 : spec.min)}
            />{' '}
            auto
          </label>
        )}
      </div>
      {auto && spec.type === 'autoInt' ? <small className="field-help">{spec.autoHelp}</small> : help}
    </div>
  );
}

interface NumberInputProps {
  readonly id: string;
  readonly value: number | '';
  readonly disabled: boolean;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly integer: boolean;
  onValid(n: number): void;
  onInvalid(message: string): void;
}

/** Keeps the typed text while it is being edited; applies it whenever it is a valid value. */
function NumberInput({ id, value, disabled, min, max, step, integer, onValid, onInvalid }: NumberInputProps) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const apply = (raw: string) => {
    setText(raw);
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) return onInvalid('Type a number.');
    if (integer && !Number.isInteger(n)) return onInvalid('Type a whole number.');
    if (n < min || n > max) return onInvalid(`Must be from ${min} to ${max}.`);
    onValid(n);
  };
  return (
    <input
      id={id}
      type="number"
      inputMode={integer ? 'numeric' : 'decimal'}
      value={text}
      disabled={disabled}
      min={min}
      max={max}
      step={step}
      onChange={(e) => apply(e.target.value)}
      onBlur={() => setText(String(value))}
    />
  );
}
