import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { fixture, node, openApp, savedGraph, shareFragment, snap } from './helpers';

const lookInside = (page: Page) => page.getByRole('region', { name: 'Look inside' });

/** Selects a node from the summary table (it need not be on screen) and waits for its output. */
async function look(page: Page, id: string): Promise<void> {
  await page
    .getByRole('region', { name: 'Model summary' })
    .getByRole('cell', { name: id, exact: true })
    .click();
  await expect(lookInside(page).locator('[data-section="output"] > summary')).toContainText(`“${id}”`);
}

/** The number in the readout after pointing at pixel (y, x) of the first channel's map. */
async function valueAt(page: Page, y: number, x: number, size: number): Promise<number> {
  const map = lookInside(page).getByTestId('channel-grid').locator('canvas').first();
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + ((x + 0.5) / size) * box.width, box.y + ((y + 0.5) / size) * box.height);
  const text = await lookInside(page).getByTestId('readout').locator('strong').textContent();
  expect(text).toMatch(new RegExp(`row ${y + 1}, column ${x + 1}: `));
  return Number(text!.split(': ')[1]);
}

test('after an epoch, each node shows its maps, a convolution its arithmetic, and the heatmaps fall on the objects', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page, '/?backend=wasm');
  const training = page.getByRole('region', { name: 'Training' });
  await training.getByRole('spinbutton', { name: 'epochs' }).fill('1');
  await page.getByRole('button', { name: 'Look inside' }).click();
  const panel = lookInside(page);
  // Before training: random weights, said so; every node already has a thumbnail.
  await expect(page.getByTestId('weights-badge')).toHaveText('random weights');
  await expect(panel).toContainText('the maps show random features');
  // Every node on screen has a thumbnail (the canvas draws only the nodes in view).
  const shown = await page.locator('.react-flow__node').count();
  expect(shown).toBeGreaterThan(5);
  await expect(page.getByTestId('node-thumb')).toHaveCount(shown);
  await snap(page, info, 'inspect-random');

  const thumb = node(page, 'conv').getByTestId('node-thumb').locator('canvas');
  const before = await thumb.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await panel.getByRole('button', { name: 'Train 1 epoch' }).click();
  // The thumbnails follow the weights while training runs.
  await expect
    .poll(() => thumb.evaluate((c: HTMLCanvasElement) => c.toDataURL()), { timeout: 60_000 })
    .not.toBe(before);
  await expect(page.getByTestId('weights-badge')).toHaveText('training');
  await snap(page, info, 'inspect-training');
  await expect(page.getByTestId('weights-badge')).toHaveText('trained', { timeout: 240_000 });

  // Several nodes, each with its own picture: 16 maps of 32×32, 32 of 16×16 (half the size, twice
  // the channels), a vector's bars, the class probabilities.
  await look(page, 'conv');
  await expect(panel.getByTestId('channel-grid').locator('canvas')).toHaveCount(16);
  await snap(page, info, 'inspect-conv');
  await look(page, 'down1');
  await expect(panel.getByTestId('channel-grid').locator('canvas')).toHaveCount(32);
  await expect(panel).toContainText(
    'half the height and width of its input (32×32 → 16×16), with twice the channels (16 → 32)',
  );
  await snap(page, info, 'inspect-down1');
  await look(page, 'down2_relu');
  await expect(panel.getByTestId('channel-grid').locator('canvas')).toHaveCount(32);
  await expect(panel.getByText('channels 1–32 of 64')).toBeVisible();
  await panel.getByRole('button', { name: 'Next ›' }).click();
  await expect(panel.getByText('channels 33–64 of 64')).toBeVisible();
  await look(page, 'pool');
  await expect(panel.getByRole('img', { name: '64 values as bars' })).toBeVisible();
  await look(page, 'classes');
  await expect(panel.getByTestId('probabilities').locator('li')).toHaveCount(10);
  await expect(panel.getByTestId('probabilities')).toContainText('diagonal bar');
  await snap(page, info, 'inspect-output');

  // One value of a convolution, worked out: the same number as the model's, through batch norm and ReLU.
  await look(page, 'down1');
  const map = panel.getByTestId('channel-grid').locator('canvas').nth(4);
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.4);
  const arithmetic = panel.getByTestId('arithmetic');
  await expect(arithmetic).toContainText('Output channel 5');
  await expect(arithmetic).toContainText('batch norm “down1_bn”');
  await expect(arithmetic.locator('.agree')).toHaveCount(3);
  for (const agree of await arithmetic.locator('.agree').allTextContents())
    expect(agree).toMatch(/^\((equal|differ by \d\.\de-([6-9]|[1-9]\d))\)$/);
  await panel.getByText('As a matrix multiply').click();
  await panel.getByRole('button', { name: 'Show' }).click();
  await expect(panel.getByTestId('matrix-agrees')).toHaveClass('is-ok');
  await panel.getByRole('combobox', { name: 'Padding' }).selectOption('reflect');
  await expect(panel.getByText(/Striped cells add up two or more weights/)).toBeVisible();
  await expect(panel.getByTestId('matrix-agrees')).toHaveClass('is-ok');
  await panel.getByTestId('conv-matrix').scrollIntoViewIfNeeded();
  await snap(page, info, 'inspect-matrix');

  // The heatmaps: over 20 validation images, more of their mass inside the objects' boxes than the
  // boxes' share of the images (what a map spread evenly would score).
  await panel.getByRole('button', { name: /Does it look at the object/ }).click();
  const check = panel.getByTestId('heatmap-check');
  await expect(check).toBeVisible({ timeout: 60_000 });
  const [mean, gradCam, share] = (await Promise.all(
    ['data-mean', 'data-gradcam', 'data-box'].map(async (a) => Number(await check.getAttribute(a))),
  )) as [number, number, number];
  expect(share).toBeGreaterThan(0.05);
  expect(mean).toBeGreaterThan(share);
  expect(gradCam).toBeGreaterThan(share);
  await check.scrollIntoViewIfNeeded();
  await snap(page, info, 'inspect-heatmaps');
});

test('a frozen top-edge kernel lights up the horizontal edges of a square, and stays in the saved graph', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  const doc = fixture(
    'Edges',
    [
      ['image', 'input', { height: 32, width: 32, channels: 3 }],
      ['edges', 'conv', { filters: 1, activation: 'linear', bias: false }],
      ['pool', 'gap', {}],
      ['out', 'output', { classes: 10 }],
    ],
    [
      ['image', 'edges'],
      ['edges', 'pool'],
      ['pool', 'out'],
    ],
  );
  await openApp(page, `/?backend=wasm${shareFragment(doc)}`);
  await page.getByRole('button', { name: 'Look inside' }).click();
  const panel = lookInside(page);
  await panel.getByRole('combobox', { name: 'Class', exact: true }).selectOption('square');
  await look(page, 'edges');
  await panel.getByText('Kernels by hand').click();
  await panel.getByRole('button', { name: 'Top edge' }).click();
  await panel.getByLabel(/Freeze this node’s weights/).check();
  await expect(panel.getByTestId('hand-kernels')).toContainText('Top edge');
  const saved = await savedGraph(page);
  const edges = saved.nodes.find((n) => n.id === 'edges') as {
    kernels?: number[][];
    params: Record<string, unknown>;
  };
  expect(edges.kernels).toEqual([[1, 2, 1, 0, 0, 0, -1, -2, -1]]);
  expect(edges.params['trainable']).toBe(false);

  // The square's box, as the data drew it; its edges' rows and columns, corners left out.
  const box = (await panel.getByTestId('object-box').first().getAttribute('data-box'))!
    .split(',')
    .map(Number);
  const [x0, y0, x1, y1] = box as [number, number, number, number];
  await panel.getByTestId('channel-grid').scrollIntoViewIfNeeded();
  // The maps of the hand-set kernel (a new model) replace the earlier ones.
  await expect
    .poll(async () => Math.abs(await valueAt(page, y0, Math.floor((x0 + x1) / 2), 32)), { timeout: 30_000 })
    .toBeGreaterThan(0.5);
  const along = async (points: [number, number][]) => {
    let sum = 0;
    for (const [y, x] of points) sum += Math.abs(await valueAt(page, y, x, 32));
    return sum / points.length;
  };
  const span = (from: number, to: number) => Array.from({ length: to - from - 4 }, (_, i) => from + 2 + i);
  const horizontal = await along([
    ...span(x0, x1).map((x): [number, number] => [y0, x]),
    ...span(x0, x1).map((x): [number, number] => [y1 - 1, x]),
  ]);
  const vertical = await along([
    ...span(y0, y1).map((y): [number, number] => [y, x0]),
    ...span(y0, y1).map((y): [number, number] => [y, x1 - 1]),
  ]);
  // Horizontal edges light up; along the vertical ones only the images' grain is left.
  expect(horizontal).toBeGreaterThan(1);
  expect(horizontal).toBeGreaterThan(5 * vertical);
  await snap(page, info, 'inspect-top-edge');
});
