import type { EpochReport } from '../../../core/training/reports';

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
/** Small changes keep two significant digits instead of rounding to 0.0%. */
const change = (x: number) => (x >= 0.001 ? percent(x) : `${(100 * x).toPrecision(2)}%`);

export function EpochTable({ reports }: { reports: readonly EpochReport[] }) {
  return (
    <table className="epoch-table" data-testid="epochs">
      <thead>
        <tr>
          <th>epoch</th>
          <th className="num">loss</th>
          <th className="num">acc</th>
          <th className="num">val loss</th>
          <th className="num">val acc</th>
          <th className="num" title="How far the epoch moved the trainable weights: ‖ΔW‖ / ‖W‖">
            moved
          </th>
        </tr>
      </thead>
      <tbody>
        {reports.map((e) => (
          <tr key={e.epoch}>
            <td>{e.epoch}</td>
            <td className="num">{e.loss.toFixed(3)}</td>
            <td className="num">{percent(e.accuracy)}</td>
            <td className="num">{e.valLoss.toFixed(3)}</td>
            <td className="num">{percent(e.valAccuracy)}</td>
            <td className="num">{change(e.weightChange)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
