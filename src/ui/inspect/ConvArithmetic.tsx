import type { ChannelTerm, ConvExplanation } from '../../core/inspect/types';
import { useEditor } from '../editor-context';
import { agreement, formatValue } from './format';

/** Input channels shown in full; the rest are listed by their partial sums. */
const SHOWN = 3;

/** Three significant digits in the small tables (the full value is in the cell's tooltip). */
const short = (v: number) =>
  v === 0
    ? '0'
    : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3
      ? v.toExponential(1)
      : String(Number(v.toPrecision(3)));

function Numbers({
  values,
  k,
  border,
  className,
  caption,
}: {
  values: readonly number[];
  k: number;
  border?: readonly boolean[];
  className?: string;
  caption: string;
}) {
  return (
    <figure className="numbers-figure">
      <figcaption>{caption}</figcaption>
      <table className={`numbers${className ? ` ${className}` : ''}`}>
        <tbody>
          {Array.from({ length: k }, (_, i) => (
            <tr key={i}>
              {Array.from({ length: k }, (_, j) => (
                <td
                  key={j}
                  className={border?.[i * k + j] ? 'is-border' : undefined}
                  title={String(values[i * k + j])}
                >
                  {short(values[i * k + j]!)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function Term({ t, e }: { t: ChannelTerm; e: ConvExplanation }) {
  const products = t.patch.map((p, i) => p * t.kernel[i]!);
  return (
    <div className="term">
      <div className="term-title">input channel {t.channel + 1}</div>
      <div className="term-row">
        <Numbers values={t.patch} k={e.kernel} border={e.border} caption="window" />
        <span className="op">×</span>
        <Numbers values={t.kernel} k={e.kernel} className="is-kernel" caption="kernel slice" />
        <span className="op">=</span>
        <Numbers values={products} k={e.kernel} caption="products" />
        <span className="op">
          Σ <strong>{formatValue(t.partial)}</strong>
        </span>
      </div>
    </div>
  );
}

const fnText = (fn: string) => (fn === 'linear' ? 'no activation' : fn);

/** One output value of a convolution worked out: windows × kernel slices, the sum, bias, activation, and what follows. */
export function ConvArithmetic() {
  const e = useEditor((s) => s.explanation);
  const picked = useEditor((s) => s.inspectView.explain);
  if (picked === null)
    return <p className="muted">Click a pixel of a channel above to see how that one number is computed.</p>;
  if (e === null || e.channel !== picked.channel || e.y !== picked.y || e.x !== picked.x)
    return <p className="muted">Computing…</p>;
  const rest = e.terms.slice(SHOWN);
  const borderTaps = e.border.filter(Boolean).length;
  return (
    <div className="arithmetic" data-testid="arithmetic">
      <p>
        Output channel <strong>{e.channel + 1}</strong> at row <strong>{e.y + 1}</strong>, column{' '}
        <strong>{e.x + 1}</strong>: the {e.kernel}×{e.kernel} window of “{e.sourceId}” (
        {e.inputShape.join('×')}) that this pixel sees (stride {e.stride}
        {e.dilation > 1 ? `, dilation ${e.dilation}` : ''}, padding {e.padding}), times this channel’s kernel:
        one {e.kernel}×{e.kernel} slice per input channel.
        {borderTaps > 0 && (
          <>
            {' '}
            <span className="border-note">
              {borderTaps} of the window’s taps fall on the padded border
            </span>{' '}
            (shaded).
          </>
        )}
      </p>
      {e.terms.slice(0, SHOWN).map((t) => (
        <Term key={t.channel} t={t} e={e} />
      ))}
      {rest.length > 0 && (
        <details className="more-terms">
          <summary>
            the other {rest.length} input channels’ sums:{' '}
            {formatValue(rest.reduce((s, t) => s + t.partial, 0))} together
          </summary>
          <p className="partials">
            {rest.map((t) => (
              <span key={t.channel}>
                {t.channel + 1}: {formatValue(t.partial)}
              </span>
            ))}
          </p>
        </details>
      )}
      <table className="steps">
        <tbody>
          <tr>
            <th>sum over {e.terms.length} channels</th>
            <td>{formatValue(e.sum)}</td>
          </tr>
          <tr>
            <th>+ bias</th>
            <td>{formatValue(e.bias)}</td>
          </tr>
          <tr>
            <th>{fnText(e.activation)}</th>
            <td>{formatValue(e.computed)}</td>
          </tr>
          <tr className="model-row">
            <th>the model’s “{e.nodeId}”</th>
            <td data-testid="conv-actual">
              {formatValue(e.actual)} <span className="agree">({agreement(e.computed, e.actual)})</span>
            </td>
          </tr>
          {e.batchNorm && (
            <>
              <tr>
                <th>
                  batch norm “{e.batchNorm.nodeId}”: γ·(x − μ)/√(σ² + ε) + β with γ{' '}
                  {formatValue(e.batchNorm.gamma)}, μ {formatValue(e.batchNorm.mean)}, σ²{' '}
                  {formatValue(e.batchNorm.variance)}, β {formatValue(e.batchNorm.beta)}
                </th>
                <td>{formatValue(e.batchNorm.computed)}</td>
              </tr>
              <tr className="model-row">
                <th>the model’s “{e.batchNorm.nodeId}”</th>
                <td>
                  {formatValue(e.batchNorm.actual)}{' '}
                  <span className="agree">({agreement(e.batchNorm.computed, e.batchNorm.actual)})</span>
                </td>
              </tr>
            </>
          )}
          {e.after && (
            <>
              <tr>
                <th>
                  {e.after.fn} “{e.after.nodeId}”
                </th>
                <td>{formatValue(e.after.computed)}</td>
              </tr>
              <tr className="model-row">
                <th>the model’s “{e.after.nodeId}”</th>
                <td>
                  {formatValue(e.after.actual)}{' '}
                  <span className="agree">({agreement(e.after.computed, e.after.actual)})</span>
                </td>
              </tr>
            </>
          )}
        </tbody>
      </table>
      <p className="muted small">
        Worked out here in double precision; the model computes in single precision, so they agree to about 7
        digits.
      </p>
    </div>
  );
}
