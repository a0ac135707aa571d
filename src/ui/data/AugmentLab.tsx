import { useEffect, useMemo, useState } from 'react';
import type { AugmentConfig, AugmentFill } from '../../core/training/augment';
import { AUGMENT_GUIDANCE, AUGMENT_PRESETS } from '../../core/training/augment-presets';
import type { FloatImage, PreviewSetting, Warp } from '../../data/augment';
import { augmentImage, rangePreview, warpImage } from '../../data/augment';
import { useEditor, useEditorStore } from '../editor-context';
import { ImageThumb } from '../panels/training/ImageThumb';
import { OneSlider, RangeSlider } from './RangeSlider';

type RangeKey = 'brightness' | 'contrast' | 'saturation' | 'zoom';

const FILLS: readonly { value: AugmentFill; label: string }[] = [
  { value: 'zero', label: 'Zero (black)' },
  { value: 'reflect', label: 'Reflection' },
  { value: 'symmetric', label: 'Symmetric' },
];

const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
const times = (v: number) => `×${v.toFixed(2)}`;

function Picture({ image, caption, testId }: { image: FloatImage; caption: string; testId?: string }) {
  return (
    <figure className="lab-picture" data-testid={testId}>
      <ImageThumb
        image={image.data}
        height={image.height}
        width={image.width}
        channels={image.channels}
        title={caption}
      />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

/** Low end, middle and high end of one setting, on the chosen sample. */
function Three(props: {
  image: FloatImage;
  config: AugmentConfig;
  setting: PreviewSetting;
  captions: [string, string, string];
}) {
  const { image, config, setting, captions } = props;
  const shown = useMemo(() => rangePreview(image, config, setting), [image, config, setting]);
  return (
    <div className="lab-three" data-testid={`preview-${setting}`}>
      {shown.map((img, i) => (
        <Picture key={i} image={img} caption={captions[i]!} />
      ))}
    </div>
  );
}

/**
 * The augmentation lab: how training images are varied, with every setting shown on a real image of
 * the data at its ends (so the person sees where a picture stops showing what it is), flips with
 * advice, the border fills side by side, fresh samples on demand and presets. What is set here
 * applies to training images only, is saved with the run and goes into the exported code.
 */
export default function AugmentLab() {
  const store = useEditorStore();
  const config = useEditor((s) => s.augment);
  const preview = useEditor((s) => s.preview);
  const [picked, setPicked] = useState(0);
  const [seed, setSeed] = useState(1);
  const set = (patch: Partial<AugmentConfig>) => store.getState().setAugment({ ...config, ...patch });
  const close = () => store.getState().setAugmentLabOpen(false);

  useEffect(() => {
    if (store.getState().preview === null) store.getState().requestPreview();
  }, [store]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // One sample of each class: the first image of each row of the data preview.
  const samples = useMemo((): { name: string; image: FloatImage }[] => {
    if (preview === null) return [];
    const per = preview.height * preview.width * preview.channels;
    return preview.classes.map((name, c) => ({
      name,
      image: {
        height: preview.height,
        width: preview.width,
        channels: preview.channels,
        data: preview.images.slice(c * preview.perClass * per, (c * preview.perClass + 1) * per),
      },
    }));
  }, [preview]);
  const sample = samples[Math.min(picked, samples.length - 1)]?.image;

  const fresh = useMemo(() => {
    if (samples.length === 0) return [];
    // A small generator of its own, so "New samples" draws again and the settings redraw the same draws.
    let state = seed * 2654435761;
    const random = () => {
      state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return state / 4294967296;
    };
    return Array.from({ length: 12 }, (_, i) =>
      augmentImage(samples[i % samples.length]!.image, config, random),
    );
  }, [samples, config, seed]);

  const demoWarp = (image: FloatImage): Warp => ({
    angle: Math.max(config.rotation, 20),
    zoom: Math.min(config.zoom[0], 0.9),
    dx: Math.max(config.shift, 0.1) * image.width,
    dy: Math.max(config.shift, 0.1) * image.height,
  });

  const range = (key: RangeKey, label: string, min: number, max: number) => (
    <div className="lab-setting">
      <div className="lab-control">
        <span className="lab-label">
          {label} <output>{`${config[key][0].toFixed(2)} – ${config[key][1].toFixed(2)}`}</output>
        </span>
        <RangeSlider
          label={label}
          min={min}
          max={max}
          step={0.05}
          value={config[key]}
          onChange={(value) => set({ [key]: value })}
        />
        <p className="lab-help">{AUGMENT_GUIDANCE[key]}</p>
      </div>
      {sample && (
        <Three
          image={sample}
          config={config}
          setting={key}
          captions={[
            `low ${times(config[key][0])}`,
            `middle ${times((config[key][0] + config[key][1]) / 2)}`,
            `high ${times(config[key][1])}`,
          ]}
        />
      )}
    </div>
  );

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Augmentation lab" onClick={close}>
      <div className="dialog augment-lab" onClick={(e) => e.stopPropagation()}>
        <header className="lab-header">
          <h2>Augmentation lab</h2>
          <button type="button" className="ghost" aria-label="Close the augmentation lab" onClick={close}>
            ×
          </button>
        </header>
        <p className="lab-intro">
          Each training image is changed at random within these ranges every time it is used, so the network
          learns what stays the same. Validation images are never changed. Move the handles until the ends
          stop looking like the class, then pull them back a little.
        </p>
        <div className="lab-presets" role="group" aria-label="Presets">
          {AUGMENT_PRESETS.map((p) => (
            <button
              key={p.id}
              type="button"
              title={p.blurb}
              aria-pressed={same(p.config, config)}
              onClick={() => store.getState().setAugment(p.config)}
            >
              {p.label}
            </button>
          ))}
        </div>
        {samples.length === 0 ? (
          <p className="lab-help" data-testid="lab-no-data">
            The previews use images of the chosen data; they appear once the data fits the graph.
          </p>
        ) : (
          <div className="lab-samples" role="group" aria-label="Sample image">
            <span className="lab-label">Sample</span>
            {samples.slice(0, 12).map((s, i) => (
              <button
                key={s.name}
                type="button"
                className="lab-sample"
                aria-pressed={i === picked}
                title={s.name}
                onClick={() => setPicked(i)}
              >
                <ImageThumb
                  image={s.image.data}
                  height={s.image.height}
                  width={s.image.width}
                  channels={s.image.channels}
                />
              </button>
            ))}
          </div>
        )}

        <h3>Light and colour</h3>
        {range('brightness', 'Brightness', 0, 3)}
        {range('contrast', 'Contrast', 0, 3)}
        {range('saturation', 'Saturation', 0, 3)}

        <h3>Flips</h3>
        <div className="lab-flips">
          {(['flipHorizontal', 'flipVertical'] as const).map((key) => (
            <label key={key} className="lab-flip">
              <input
                type="checkbox"
                checked={config[key]}
                onChange={(e) => set({ [key]: e.target.checked })}
              />
              <span>
                <strong>{key === 'flipHorizontal' ? 'Left–right' : 'Upside down'}</strong>
                <span className="lab-help">{AUGMENT_GUIDANCE[key]}</span>
              </span>
            </label>
          ))}
          <p className="lab-help">
            Natural photos: left–right only. Satellite or microscope images: both. Digits and text: neither.
          </p>
        </div>

        <h3>Rotation, zoom and shift</h3>
        <div className="lab-setting">
          <div className="lab-control">
            <span className="lab-label">
              Rotation <output>±{config.rotation}°</output>
            </span>
            <OneSlider
              label="Rotation"
              min={0}
              max={180}
              step={1}
              value={config.rotation}
              onChange={(rotation) => set({ rotation })}
            />
            <p className="lab-help">{AUGMENT_GUIDANCE.rotation}</p>
          </div>
          {sample && (
            <Three
              image={sample}
              config={config}
              setting="rotation"
              captions={[`−${config.rotation}°`, '0°', `+${config.rotation}°`]}
            />
          )}
        </div>
        {range('zoom', 'Zoom', 0.5, 2)}
        <div className="lab-setting">
          <div className="lab-control">
            <span className="lab-label">
              Shift <output>±{Math.round(config.shift * 100)}%</output>
            </span>
            <OneSlider
              label="Shift"
              min={0}
              max={0.5}
              step={0.01}
              value={config.shift}
              onChange={(shift) => set({ shift })}
            />
            <p className="lab-help">{AUGMENT_GUIDANCE.shift}</p>
          </div>
          {sample && (
            <Three
              image={sample}
              config={config}
              setting="shift"
              captions={[`−${Math.round(config.shift * 100)}%`, '0', `+${Math.round(config.shift * 100)}%`]}
            />
          )}
        </div>
        <div className="lab-setting">
          <div className="lab-control">
            <span className="lab-label">Border fill</span>
            <p className="lab-help">{AUGMENT_GUIDANCE.fill}</p>
            {sample && (
              <p className="lab-help">
                Shown turned {demoWarp(sample).angle}°, shrunk to ×{demoWarp(sample).zoom.toFixed(2)} and
                shifted {Math.round((demoWarp(sample).dx / sample.width) * 100)}%, so the border shows.
              </p>
            )}
          </div>
          {sample && (
            <div className="lab-three" role="radiogroup" aria-label="Border fill" data-testid="preview-fill">
              {FILLS.map((f) => (
                <button
                  key={f.value}
                  type="button"
                  role="radio"
                  aria-checked={config.fill === f.value}
                  className="lab-fill"
                  onClick={() => set({ fill: f.value })}
                >
                  <Picture image={warpImage(sample, demoWarp(sample), f.value)} caption={f.label} />
                </button>
              ))}
            </div>
          )}
        </div>

        <h3>
          Fresh samples{' '}
          <button type="button" onClick={() => setSeed((s) => s + 1)}>
            New samples
          </button>
        </h3>
        <div className="lab-grid" data-testid="fresh-samples">
          {fresh.map((img, i) => (
            <ImageThumb
              key={i}
              image={img.data}
              height={img.height}
              width={img.width}
              channels={img.channels}
            />
          ))}
        </div>
        <p className="lab-help">
          Applied in the worker to training batches only; saved with the run, and written into the exported
          TypeScript train() and PyTorch train.py.
        </p>
        <div className="button-row">
          <button type="button" className="primary" onClick={close}>
            Done
          </button>
        </div>
      </div>
    </div>
  );
}
