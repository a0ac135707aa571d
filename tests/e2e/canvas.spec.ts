import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { fixture, node, openApp, savedGraph, shareFragment, snap } from './helpers';

const card = (page: Page, group: string) => page.locator(`.react-flow__node[data-id="group:${group}"]`);

/** Client-space rectangle of an element. */
async function rect(page: Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  if (box === null) throw new Error(`${selector} has no box`);
  return box;
}

test('a residual block’s shortcut runs in a lane beside the layers it skips, not through them', async ({
  page,
}, info) => {
  await openApp(page, '/?template=resnet-20');
  await page.getByRole('button', { name: 'Unfold Stage 1' }).click();
  // Bring the first block into view: its five layers lie between the shortcut's two ends.
  await page.getByRole('combobox', { name: 'Find a node by id, name or kind' }).fill('stage1_block1_conv2');
  await page.keyboard.press('Enter');
  const skipped = [
    'stage1_block1_conv1',
    'stage1_block1_conv1_bn',
    'stage1_block1_conv1_relu',
    'stage1_block1_conv2',
    'stage1_block1_conv2_bn',
  ];
  for (const id of skipped) await expect(node(page, id)).toBeVisible();
  await page.waitForTimeout(400);
  await snap(page, info, 'shortcut-lane');

  // Points along the drawn shortcut (stem_relu -> the block's Add, second input), in page pixels.
  const shortcut = page.locator(
    '.react-flow__edge[data-id="stem_relu-stage1_block1_add-1"] path.react-flow__edge-path',
  );
  await expect(shortcut).toHaveClass(/is-skip/);
  const points = await shortcut.evaluate((el) => {
    const path = el as SVGPathElement;
    const matrix = path.getScreenCTM()!;
    const total = path.getTotalLength();
    return Array.from({ length: 200 }, (_, i) => {
      const p = path.getPointAtLength((total * i) / 199).matrixTransform(matrix);
      return { x: p.x, y: p.y };
    });
  });
  const boxes = await Promise.all(skipped.map((id) => rect(page, `.react-flow__node[data-id="${id}"]`)));
  const inside = points.filter((p) =>
    boxes.some((b) => p.x > b.x && p.x < b.x + b.width && p.y > b.y && p.y < b.y + b.height),
  );
  expect(inside).toEqual([]);
  // It really goes around: its lane is right of the column.
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  expect(Math.max(...points.map((p) => p.x))).toBeGreaterThan(right);
  // And it looks different from an ordinary link.
  const ordinary = page.locator(
    '.react-flow__edge[data-id="stage1_block1_conv1-stage1_block1_conv1_bn-0"] path.react-flow__edge-path',
  );
  const stroke = (l: typeof shortcut) => l.evaluate((el) => getComputedStyle(el).stroke);
  expect(await stroke(shortcut)).not.toBe(await stroke(ordinary));
});

test('a folded stage shows its shapes and weights, unfolds in one click and round-trips through undo', async ({
  page,
}, info) => {
  await openApp(page, '/?template=resnet-20');
  const stage = card(page, 'stage2');
  await expect(stage).toContainText('Stage 2');
  await expect(stage).toContainText('23 layers');
  await expect(stage.getByTestId('group-shapes')).toHaveText('32×32×16→16×16×32');
  await expect(stage).toContainText('52k params');
  await expect(node(page, 'stage2_block1_conv1')).toHaveCount(0);
  await snap(page, info, 'folded');
  const folded = await savedGraph(page);

  await stage.getByRole('button', { name: 'Unfold Stage 2' }).click();
  await expect(stage).toHaveCount(0);
  await expect(node(page, 'stage2_block1_conv1')).toHaveCount(1);
  const unfolded = await savedGraph(page);
  expect(unfolded.nodes).toEqual(folded.nodes);
  await snap(page, info, 'unfolded');

  await page.keyboard.press('Control+z');
  await expect(stage).toBeVisible();
  await expect(node(page, 'stage2_block1_conv1')).toHaveCount(0);
  expect(await savedGraph(page)).toEqual(folded);
  await page.keyboard.press('Control+Shift+z');
  await expect(stage).toHaveCount(0);
  expect(await savedGraph(page)).toEqual(unfolded);

  // The bracket beside the unfolded stage folds it again; the fold survives a reload.
  await page.getByRole('button', { name: 'Fold Stage 2' }).click();
  await expect(stage).toBeVisible();
  await page.reload();
  await expect(card(page, 'stage2')).toBeVisible();
});

test('find a node by id, name or kind: it is unfolded, selected and brought to the middle', async ({
  page,
}, info) => {
  await openApp(page, '/?template=resnet-34');
  await expect(card(page, 'layer3')).toBeVisible();
  const find = page.getByRole('combobox', { name: 'Find a node by id, name or kind' });
  await find.fill('Global average');
  await expect(page.getByRole('option').first()).toContainText('pool');
  await find.fill('layer3_4_conv2');
  await expect(page.getByRole('option').first()).toContainText('layer3_4_conv2');
  await snap(page, info, 'find-list');
  await page.keyboard.press('Enter');
  const found = node(page, 'layer3_4_conv2');
  await expect(found).toHaveClass(/selected/);
  await expect(page.getByLabel('Node name')).toHaveAttribute('placeholder', 'layer3_4_conv2');
  await expect(card(page, 'layer3')).toHaveCount(0);
  await page.waitForTimeout(500);
  const canvas = await rect(page, '[data-testid="canvas"]');
  const box = (await found.boundingBox())!;
  expect(Math.abs(box.x + box.width / 2 - (canvas.x + canvas.width / 2))).toBeLessThan(40);
  expect(Math.abs(box.y + box.height / 2 - (canvas.y + canvas.height / 2))).toBeLessThan(40);
  await snap(page, info, 'found');
  // The press of `/` goes to the box.
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('/');
  await expect(find).toBeFocused();
});

test('panels fold and resize, and come back the same after a reload', async ({ page }, info) => {
  await openApp(page);
  const canvasBefore = await rect(page, '[data-testid="canvas"]');
  await page.getByRole('button', { name: 'Hide the palette' }).click();
  await expect(page.getByRole('complementary', { name: 'Palette' })).toHaveCount(0);

  // Drag the summary's top edge up by 120 px and the side column's left edge left by 80 px.
  const summary = page.getByRole('region', { name: 'Model summary' });
  const summaryBefore = (await summary.boundingBox())!;
  const line = (await page.getByRole('separator', { name: 'Summary height' }).boundingBox())!;
  await page.mouse.move(line.x + 200, line.y + line.height / 2);
  await page.mouse.down();
  await page.mouse.move(line.x + 200, line.y + line.height / 2 - 120, { steps: 6 });
  await page.mouse.up();
  const side = (await page.getByRole('separator', { name: 'Inspector width' }).boundingBox())!;
  await page.mouse.move(side.x + side.width / 2, side.y + 300);
  await page.mouse.down();
  await page.mouse.move(side.x + side.width / 2 - 80, side.y + 300, { steps: 6 });
  await page.mouse.up();
  const summaryAfter = (await summary.boundingBox())!;
  expect(Math.round(summaryAfter.height - summaryBefore.height)).toBe(120);
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const inspectorWidth = (await inspector.boundingBox())!.width;
  const canvasAfter = await rect(page, '[data-testid="canvas"]');
  expect(canvasAfter.x).toBeLessThan(canvasBefore.x);
  await snap(page, info, 'panels-changed');

  await page.waitForTimeout(400);
  await page.reload();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Palette' })).toHaveCount(0);
  expect(Math.round((await summary.boundingBox())!.height)).toBe(Math.round(summaryAfter.height));
  expect(Math.round((await inspector.boundingBox())!.width)).toBe(Math.round(inspectorWidth));
  await snap(page, info, 'panels-after-reload');

  // And the palette comes back from its strip.
  await page.getByRole('button', { name: 'Show the palette' }).click();
  await expect(page.getByRole('complementary', { name: 'Palette' })).toBeVisible();
  await page.getByRole('button', { name: 'Hide the side panel' }).click();
  await expect(inspector).toHaveCount(0);
  await page.keyboard.press('c');
  await expect(page.getByRole('region', { name: 'Generated code' })).toBeVisible();
});

test('a new empty graph has its name; undo brings the old graph back', async ({ page }, info) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Templates ▾' }).click();
  await page.getByRole('menuitem', { name: /New empty graph/ }).click();
  await page.getByLabel('Name of the new graph').fill('My first CNN');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('.brand')).toContainText('My first CNN');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(page.locator('.canvas-empty')).toContainText('Drag an Input');
  expect(await savedGraph(page)).toMatchObject({ name: 'My first CNN', nodes: [], edges: [] });
  await snap(page, info, 'new-graph');
  await page.keyboard.press('Control+z');
  await expect(node(page, 'conv')).toBeVisible();
});

test('a half-built graph shows the total of its valid part; rows keep their order; the spare input reads "+"', async ({
  page,
}, info) => {
  const doc = fixture(
    'half built',
    [
      ['image', 'input', { height: 16, width: 16, channels: 3 }],
      ['conv', 'conv', { filters: 8 }],
      ['sum', 'add', {}],
      ['pool', 'gap', {}],
      ['out', 'output', { classes: 4 }],
    ],
    [
      ['image', 'conv'],
      ['conv', 'sum', 0],
      ['image', 'sum', 1],
      ['pool', 'out'],
    ],
  );
  await openApp(page, `/${shareFragment(doc)}`);
  const totals = page.getByTestId('summary-totals');
  // The Add has two different shapes in: an error; the rest still counts (conv: 3·3·3·8 + 8 = 224).
  await expect(totals).toContainText('partial (3 nodes not counted)');
  await expect(totals).toContainText('224 params');
  // Rows in the order the nodes were made (the flow order would put the unlinked pool second and
  // move it as soon as it is linked).
  const rows = page.getByRole('region', { name: 'Model summary' }).locator('tbody tr td:first-child');
  await expect(rows).toHaveText(['image', 'conv', 'sum', 'pool', 'out']);
  await snap(page, info, 'partial-total');

  // The Add's third slot is a visible "+" place for one more input.
  const spare = node(page, 'sum').locator('.react-flow__handle.is-spare');
  await expect(spare).toHaveCount(1);
  await expect(spare).toHaveAttribute('title', 'Drop a link here to add input 3');
});

test('layout runs left to right on request, and Tidy up frames the result', async ({ page }, info) => {
  await openApp(page, '/?template=tiny-vgg');
  await page.getByRole('button', { name: 'Lay out left to right' }).click();
  const saved = await savedGraph(page);
  expect((saved as unknown as { direction: string }).direction).toBe('right');
  const x = (id: string) =>
    saved.nodes.find((n) => n.id === id) as unknown as { position: { x: number; y: number } };
  expect(x('conv_1_2').position.x).toBeGreaterThan(x('conv_1_1').position.x);
  expect(x('conv_1_2').position.y).toBe(x('conv_1_1').position.y);
  // Inputs on the left of each node, outputs on the right.
  const input = await rect(page, '.react-flow__node[data-id="conv_1_1"] .react-flow__handle.target');
  const body = await rect(page, '.react-flow__node[data-id="conv_1_1"]');
  expect(input.x + input.width / 2).toBeLessThan(body.x + 2);
  await expect(node(page, 'image')).toBeVisible();
  await snap(page, info, 'left-to-right');
  await page.getByRole('button', { name: 'Lay out top to bottom' }).click();
  await expect(node(page, 'image')).toBeVisible();
  expect((await savedGraph(page)).nodes.find((n) => n.id === 'conv_1_2')).toMatchObject({
    position: { x: 0, y: 220 },
  });
});

for (const [width, height] of [
  [1280, 720],
  [1440, 900],
  [1920, 1080],
] as const)
  test(`the editor at ${width}×${height}: ResNet-34 reads at a glance, readable text`, async ({
    page,
  }, info) => {
    await page.setViewportSize({ width, height });
    await openApp(page, '/?template=resnet-34');
    await expect(card(page, 'layer1')).toBeVisible();
    // Node text at the opening zoom: at least 10 px on screen.
    const size = await node(page, 'image')
      .locator('.layer-title')
      .evaluate((el) => {
        const zoom = new DOMMatrix(getComputedStyle(el.closest('.react-flow__viewport')!).transform).a;
        return parseFloat(getComputedStyle(el).fontSize) * zoom;
      });
    expect(size).toBeGreaterThanOrEqual(10);
    await snap(page, info, `resnet-34-${width}`);
    await page.getByRole('button', { name: 'Unfold Stage 2' }).click();
    await page.getByRole('button', { name: 'Code' }).click();
    await expect(page.getByTestId('code-editor')).toBeVisible();
    await page.waitForTimeout(800);
    await snap(page, info, `resnet-34-code-${width}`);
  });
