import { useEffect, useRef } from 'react';
import type { CSSProperties } from 'react';
import type { TopLoss, ValidationResults } from '../../../core/training/reports';

/** Draws one image (values in [0, 1], HWC) into a small canvas, pixels kept sharp. */
function Thumbnail({ item, results }: { item: TopLoss; results: ValidationResults }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const { width, height, channels } = results;
    const pixels = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++)
      for (let c = 0; c < 4; c++)
        pixels.data[i * 4 + c] =
          c === 3 ? 255 : Math.round(255 * item.image[i * channels + (channels === 1 ? 0 : c)]!);
    context.putImageData(pixels, 0, 0);
  }, [item, results]);
  return <canvas ref={ref} width={results.width} height={results.height} className="thumb" />;
}

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
            <Thumbnail item={item} results={results} />
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
