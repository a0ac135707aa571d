import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { expect, test } from '@playwright/test';
import type { Download, Locator, Page } from '@playwright/test';
import { loadSavedWeights } from '../../src/compile/weights';
import { decodeWeights } from '../../src/model-files/reader';
import { importModule } from '../unit/support/generated';
import { field, openApp, pickInSummary, snap } from './helpers';

const trainingPanel = (page: Page): Locator => page.getByRole('region', { name: 'Training' });

/** Sets the run small: `epochs`, `train` training and `val` validation images. */
async function smallRun(page: Page, train: number, val: number, epochs = 1): Promise<void> {
  const panel = trainingPanel(page);
  await panel.getByRole('spinbutton', { name: 'epochs' }).fill(String(epochs));
  const more = panel.locator('details.train-more-settings');
  if ((await more.getAttribute('open')) === null) await panel.getByText('More settings').click();
  await panel.getByRole('spinbutton', { name: 'training images' }).fill(String(train));
  await panel.getByRole('spinbutton', { name: 'validation images' }).fill(String(val));
}

/** Trains and waits for the run to finish (done, with or without advice). */
async function trainToEnd(page: Page): Promise<void> {
  await trainingPanel(page).getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('epochs').locator('tbody tr')).toHaveCount(1, { timeout: 150_000 });
  await expect(trainingPanel(page).getByRole('button', { name: 'Train', exact: true })).toBeVisible({
    timeout: 60_000,
  });
}

test('Tiny VGG trains as it is at 64×64; its downloaded weights load into its generated module with identical predictions', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await openApp(page, '/?backend=wasm&template=tiny-vgg');
  await expect(trainingPanel(page).getByRole('heading', { level: 2 })).toHaveText(
    'Train on Shapes 64×64 colour',
  );
  await smallRun(page, 64, 20);
  // Before training: a look at the data, a row of images per class at the graph's input size.
  await page.getByTestId('data-preview').getByText('Look at the data').click();
  const grid = page.getByTestId('data-preview').locator('.preview-grid');
  await expect(grid.locator('tr')).toHaveCount(10, { timeout: 30_000 });
  await expect(grid.locator('tr').first().locator('canvas')).toHaveCount(6);
  expect(await grid.locator('canvas').first().getAttribute('width')).toBe('64');
  await expect(page.getByTestId('data-preview')).toContainText('64 training and 20 validation images');
  await snap(page, info, 'tiny-vgg-data');
  await trainToEnd(page);
  await snap(page, info, 'tiny-vgg-trained');

  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await trainingPanel(page).getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  await page.getByRole('button', { name: 'Code' }).click();
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await expect.poll(() => downloads.length).toBe(3);
  const files = new Map<string, Buffer>();
  for (const d of downloads) files.set(d.suggestedFilename(), readFileSync((await d.path())!));
  const json = JSON.parse(files.get('Tiny-VGG.model.json')!.toString('utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const bin = files.get(json.weightsManifest[0]!.paths[0]!)!;
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  // The model as tfjs itself loads the downloaded files: a 64×64×3 input and 10 classes, as on screen.
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const saved = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0]!.weights,
      weightData,
    }),
  );
  expect(saved.inputs[0]!.shape).toEqual([null, 64, 64, 3]);
  expect(saved.outputs[0]!.shape).toEqual([null, 10]);
  // The generated module builds the same model; the downloaded weights go into it as they are.
  const mod = await importModule<{ createModel(): tf.LayersModel }>(files.get('model.ts')!.toString('utf8'));
  const generated = mod.createModel();
  const weights = decodeWeights(
    json.weightsManifest,
    new Map([[json.weightsManifest[0]!.paths[0]!, weightData]]),
  );
  if (!weights.ok) throw new Error(JSON.stringify(weights.errors));
  expect(loadSavedWeights(generated, weights.weights)).toMatchObject({ ok: true });
  const x = tf.randomUniform([4, 64, 64, 3], 0, 1, 'float32', 11);
  const a = (saved.predict(x) as tf.Tensor).arraySync() as number[][];
  const b = (generated.predict(x) as tf.Tensor).arraySync() as number[][];
  expect(b).toEqual(a);

  // Results belong to their graph: another template is not trained yet; undo brings the run back.
  await page.getByRole('button', { name: 'Templates ▾' }).click();
  await page.locator('[data-template="starter-cnn"]').click();
  await expect(page.getByTestId('train-status')).toHaveText(/^Not trained yet/);
  await expect(page.getByTestId('epochs')).toHaveCount(0);
  await expect(page.getByTestId('results')).toHaveCount(0);
  await snap(page, info, 'other-template-not-trained');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('epochs').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('results')).toBeVisible();
});

test('data that does not fit the graph is said before training, with a one-click undoable fix', async ({
  page,
}, info) => {
  await openApp(page, '/?backend=wasm&template=lesson-resnet34-pets');
  const fit = page.getByTestId('data-fit');
  await expect(fit).toContainText('chooses between 37 classes, but Shapes has 10');
  await expect(fit).toContainText('6,000 images at 352×352 colour take');
  await expect(trainingPanel(page).getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await snap(page, info, 'data-does-not-fit');
  await fit.getByRole('button', { name: 'Set the Output to 10 classes' }).click();
  await expect(fit).not.toContainText('37 classes');
  await expect(field(page, 'classes')).toHaveValue('10');
  await fit.getByRole('button', { name: /^Use [\d,]+ images$/ }).click();
  await expect(page.getByTestId('data-fit')).toHaveCount(0);
  await expect(trainingPanel(page).getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  // The class count was an edit of the graph like any other: undo takes it back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('data-fit')).toContainText('chooses between 37 classes');
});

test('a run that would not fit in memory says so before it starts, and the next run works without a reload', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await openApp(page, '/?backend=wasm');
  await expect(page.getByTestId('backend-reason')).toContainText('wasm was chosen');
  await pickInSummary(page, 'image');
  await field(page, 'height').fill('64');
  await field(page, 'width').fill('64');
  await smallRun(page, 64, 20);
  await trainingPanel(page).getByRole('spinbutton', { name: 'batch' }).fill('1024');
  await trainingPanel(page).getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toContainText(
    /The wasm backend would run out of memory\..*try batch \d+ or smaller/,
  );
  await snap(page, info, 'out-of-memory');
  await trainingPanel(page).getByRole('spinbutton', { name: 'batch' }).fill('16');
  await trainToEnd(page);
  await expect(page.getByTestId('epochs').locator('tbody tr')).toHaveCount(1);
});
