import type { CSSProperties } from 'react';
import type { ValidationResults } from '../../../core/training/reports';
import { ImageThumb } from './ImageThumb';

/** The confusion matrix, per-class accuracy and the worst validation images of the last run. */
export function ResultsView({ results }: { results: ValidationResults }) {
  const { classes, confusion, perClassAccuracy } = results;
  const most = Math.max(1, ...confusion.flat());
  return (
    <div className="results" data-testid="results">
      <h3>Where it goes wrong</h3>
      <table className="confusion" aria-label="Confusion matrix">
        <caption>rows: actual class · columns: predicted · last column: accuracy</caption>
        <tbody>
          {confusion.map((row, actual) => (
            <tr key={actual}>
              <th scope="row" title={classes[actual]}>
                {classes[actual]}
              </th>
              {row.map((n, predicted) => (
                <td
                  key={predicted}
                  title={`${n} ${classes[actual]} seen as ${classes[predicted]}`}
                  className={actual === predicted ? 'diagonal' : n > 0 ? 'miss' : ''}
                  style={{ '--share': n / most } as CSSProperties}
                >
                  {n || ''}
                </td>
              ))}
              <td className="class-accuracy">
                {Number.isNaN(perClassAccuracy[actual])
                  ? '–'
                  : `${Math.round(100 * perClassAccuracy[actual]!)}%`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Highest-loss validation images</h3>
      <div className="gallery">
        {results.topLosses.map((item) => (
          <figure key={item.index}>
            <ImageThumb
              image={item.image}
              height={results.height}
              width={results.width}
              channels={results.channels}
            />
            <figcaption>
              <span className="is-bad">{classes[item.predicted]}</span>
              <br />
              was {classes[item.label]}
            </figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
