import { useState } from 'react';
import type { DragEvent } from 'react';
import type { SplitName } from '../../core/inspect/types';
import { useEditor, useEditorStore } from '../editor-context';
import { ImageCanvas } from './ImageCanvas';
import { decodeImageFile } from './decode-image';
import { percent } from './format';

/** Choose the image to look at: by split and class from the data, or a dropped file. */
export function SampleStrip() {
  const store = useEditorStore();
  const info = useEditor((s) => s.sampleInfo);
  const overview = useEditor((s) => s.overview);
  const [dragging, setDragging] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (info === null) return null;
  const choice = info.choice;
  const fromData = choice.source === 'dataset' ? choice : null;
  const split: SplitName = fromData?.split ?? 'validation';
  const classIndex = fromData?.classIndex ?? 0;
  const nth = fromData?.nth ?? 0;
  const choose = (s: SplitName, c: number, n: number) => store.getState().chooseSample(s, c, n);
  const open = async (file: File | undefined) => {
    if (file === undefined) return;
    try {
      setProblem(null);
      store.getState().dropImage(file.name, await decodeImageFile(file));
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void open(e.dataTransfer.files[0]);
  };
  const predicted = overview && overview.classes[overview.predicted];
  const truth = info.label === undefined ? undefined : info.dataClasses[info.label];
  return (
    <section
      className={`sample-strip${dragging ? ' is-dropping' : ''}`}
      aria-label="Image to look at"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className="sample-main">
        <ImageCanvas
          image={info.image}
          size={88}
          {...(info.box && { box: info.box })}
          label="The image looked at"
        />
        <div className="sample-facts">
          <div className="sample-title">
            {choice.source === 'file'
              ? choice.name
              : `${truth} · ${split} ${nth + 1} of ${info.ofClass ?? '?'}`}
          </div>
          {overview && (
            <div
              className={`sample-answer${truth !== undefined && predicted === truth ? ' is-right' : ''}`}
              data-testid="prediction"
            >
              says <strong>{predicted}</strong> ({percent(overview.probabilities[overview.predicted] ?? 0)})
            </div>
          )}
          <div className="sample-controls">
            <select
              aria-label="Split"
              value={split}
              onChange={(e) => choose(e.target.value as SplitName, classIndex, 0)}
            >
              <option value="validation">validation</option>
              <option value="train">training</option>
            </select>
            <select
              aria-label="Class"
              value={classIndex}
              onChange={(e) => choose(split, Number(e.target.value), 0)}
            >
              {info.dataClasses.map((c, i) => (
                <option key={c} value={i}>
                  {c}
                </option>
              ))}
            </select>
            <label className="file-button">
              Image file…
              <input type="file" accept="image/*" onChange={(e) => void open(e.target.files?.[0])} />
            </label>
          </div>
        </div>
      </div>
      {info.strip.length > 0 && (
        <div className="strip-row">
          <button
            type="button"
            className="ghost"
            aria-label="Earlier images"
            disabled={(info.strip[0]?.nth ?? 0) === 0}
            onClick={() =>
              choose(split, classIndex, Math.max(0, (info.strip[0]?.nth ?? 0) - info.strip.length))
            }
          >
            ‹
          </button>
          {info.strip.map((s) => (
            <button
              type="button"
              key={s.nth}
              className={`strip-item${fromData && s.nth === nth ? ' is-current' : ''}`}
              onClick={() => choose(split, classIndex, s.nth)}
              aria-label={`${info.dataClasses[classIndex]} ${s.nth + 1}`}
            >
              <ImageCanvas image={s.image} size={30} />
            </button>
          ))}
          <button
            type="button"
            className="ghost"
            aria-label="Later images"
            disabled={(info.strip.at(-1)?.nth ?? 0) + 1 >= (info.ofClass ?? 0)}
            onClick={() => choose(split, classIndex, (info.strip.at(-1)?.nth ?? 0) + 1)}
          >
            ›
          </button>
        </div>
      )}
      {problem && <p className="inspect-problem">{problem}</p>}
      {choice.source === 'file' && (
        <p className="muted small">
          Resized to the Input’s size: the middle is cropped to its shape, then areas are averaged.
        </p>
      )}
    </section>
  );
}
