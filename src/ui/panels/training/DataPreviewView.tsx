import { useEffect, useState } from 'react';
import { describeInput, inputSizeOf } from '../../../core/training/data';
import { datasetRequest } from '../../../store/training-slice';
import { useEditor, useEditorStore } from '../../editor-context';
import { ImageThumb } from './ImageThumb';

/**
 * What the data looks like before training: each class with its training and validation counts and a
 * few of its images, at the graph's input size (so a stored dataset shows its images as fitted).
 */
export function DataPreviewView() {
  const store = useEditorStore();
  const [open, setOpen] = useState(false);
  const preview = useEditor((s) => s.preview);
  // What the preview depends on, as text: the input size and the data settings (not node moves).
  const wanted = useEditor((s) => {
    const size = inputSizeOf(s.doc);
    return JSON.stringify([size && describeInput(size), datasetRequest(s)]);
  });
  useEffect(() => {
    if (open) store.getState().requestPreview();
  }, [open, wanted, store]);
  const per = preview ? preview.height * preview.width * preview.channels : 0;
  return (
    <details
      className="data-preview"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
      data-testid="data-preview"
    >
      <summary>Look at the data</summary>
      {open && preview === null && <p>Drawing the images…</p>}
      {open && preview && (
        <>
          <p>
            {preview.name}: {preview.trainCount.toLocaleString()} training and{' '}
            {preview.validationCount.toLocaleString()} validation images, {preview.classes.length} classes, as
            the graph sees them ({preview.height}×{preview.width},{' '}
            {preview.channels === 1 ? 'grey' : 'colour'}).
          </p>
          <table className="preview-grid">
            <tbody>
              {preview.classes.map((name, c) => (
                <tr key={name}>
                  <th scope="row">
                    {name}
                    <span className="preview-counts">
                      {preview.trainPerClass[c]?.toLocaleString()} +{' '}
                      {preview.validationPerClass[c]?.toLocaleString()}
                    </span>
                  </th>
                  <td>
                    {Array.from({ length: preview.perClass }, (_, k) => (
                      <ImageThumb
                        key={k}
                        image={preview.images.subarray(
                          (c * preview.perClass + k) * per,
                          (c * preview.perClass + k + 1) * per,
                        )}
                        height={preview.height}
                        width={preview.width}
                        channels={preview.channels}
                        title={name}
                      />
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </details>
  );
}
