import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { generateModule } from '../../src/codegen';
import { generatePytorch } from '../../src/codegen/pytorch';
import { defaultTrainConfig } from '../../src/core/training/settings';
import type { GraphDocument } from '../../src/core/document';
import { loadGraph } from '../../src/core/load';
import { field, node, openApp, pickInSummary, savedGraph, selectNode, snap } from './helpers';

/** The module the code generator makes for a graph, computed here the same way the app does. */
function codeFor(raw: unknown) {
  const loaded = loadGraph(raw);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const result = generateModule(loaded.doc as GraphDocument);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

const templateDoc = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../templates/${name}.json`, import.meta.url), 'utf8'));

/** Line numbers Monaco shows with the selected-node decoration (a wrapped line's continuation has none). */
async function decorated(page: Page): Promise<string[]> {
  const texts = await page.locator('.code-editor .line-numbers.code-node-selected-number').allTextContents();
  return texts.map((t) => t.trim()).filter((t) => t !== '');
}

const lineRange = ({ first, last }: { first: number; last: number }): string[] =>
  Array.from({ length: last - first + 1 }, (_, i) => String(first + i));

/** Page errors, console errors and security-policy violations, as they happen. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Could not create web worker/.test(m.text())) problems.push(m.text());
  });
  return problems;
}

test('the code panel shows the graph as TypeScript, linked both ways to the canvas', async ({
  page,
}, info) => {
  const problems = watchProblems(page);
  await openApp(page, '/?template=resnet-20');
  await expect(node(page, 'stem')).toBeVisible();
  await page.getByRole('button', { name: 'Code' }).click();
  const editor = page.getByTestId('code-editor');
  await expect(editor.locator('.view-lines')).toContainText("import * as tf from '@tensorflow/tfjs';");
  await snap(page, info, 'code-open');

  // Selecting a node on the canvas marks its lines and scrolls them into view (the template opens
  // with its stages folded: one click unfolds the first).
  const code = codeFor(templateDoc('resnet-20'));
  const target = 'stage1_block1_conv1';
  await page.getByRole('button', { name: 'Unfold Stage 1' }).click();
  await selectNode(page, target);
  await expect.poll(() => decorated(page)).toEqual(lineRange(code.nodeLines.get(target)!));
  await expect(editor.locator('.view-lines')).toContainText(`const stage1Block1Conv1 = apply(`);
  await snap(page, info, 'code-node-selected');

  // Clicking a line of another node selects that node.
  const other = 'stage1_block1_conv1_bn';
  const otherLine = code.nodeLines.get(other)!.first;
  const number = editor.locator('.line-numbers', { hasText: new RegExp(`^${otherLine}$`) });
  const box = (await number.boundingBox())!;
  await page.mouse.click(box.x + box.width + 120, box.y + box.height / 2);
  await expect(page.getByLabel('Node name')).toHaveAttribute('placeholder', other);
  await expect(node(page, other)).toHaveClass(/selected/);
  await expect.poll(() => decorated(page)).toEqual(lineRange(code.nodeLines.get(other)!));

  // The downloaded model.ts is exactly what the generator makes for this graph.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('model.ts');
  expect(readFileSync((await download.path())!, 'utf8')).toBe(code.code);

  // Editing the graph updates the code.
  await pickInSummary(page, 'stem_relu');
  await field(page, 'function').selectOption('elu');
  await expect(editor.locator('.view-lines')).toContainText("{ name: 'stem_relu', activation: 'elu' }");
  const edited = await savedGraph(page);
  const [again] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  expect(readFileSync((await again.path())!, 'utf8')).toBe(codeFor(edited).code);

  // The dark theme reaches the editor too.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(editor.locator('.monaco-editor-background')).toHaveCSS('background-color', 'rgb(26, 29, 38)');
  await snap(page, info, 'code-dark');

  // The shortcut closes and reopens it.
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('c');
  await expect(editor).toHaveCount(0);
  await page.keyboard.press('c');
  await expect(editor.locator('.view-lines')).toContainText('export function createModel');
  expect(problems).toEqual([]);
});

/** The PyTorch files for a graph, as the app makes them with its default training settings. */
function pytorchFor(raw: unknown) {
  const loaded = loadGraph(raw);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const result = generatePytorch(loaded.doc as GraphDocument, { train: defaultTrainConfig });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.files;
}

/** Line numbers (1-based) of a file that belong to a node. */
const linesOf = (lineNodes: readonly (string | null)[], id: string): string[] =>
  lineNodes.flatMap((owner, i) => (owner === id ? [String(i + 1)] : []));

test('the code panel switches to PyTorch: linked lines, its files, and a zip download', async ({
  page,
}, info) => {
  // Tall enough for a node's lines in __init__ and in forward to show together.
  await page.setViewportSize({ width: 1440, height: 900 });
  const problems = watchProblems(page);
  await openApp(page, '/?template=starter-cnn');
  await page.getByRole('button', { name: 'Code' }).click();
  const editor = page.getByTestId('code-editor');
  await expect(editor.locator('.view-lines')).toContainText("import * as tf from '@tensorflow/tfjs';");
  await page.getByRole('button', { name: 'PyTorch' }).click();
  await expect(page.getByRole('button', { name: 'PyTorch' })).toHaveAttribute('aria-pressed', 'true');
  await expect(editor.locator('.view-lines')).toContainText('Starter CNN: a PyTorch model generated by');
  // Python is coloured: keywords and strings get other token classes than names.
  await expect
    .poll(
      async () =>
        new Set(
          await editor
            .locator('.view-lines span[class^="mtk"]')
            .evaluateAll((s) => s.map((e) => e.className)),
        ).size,
    )
    .toBeGreaterThan(2);

  // A node's lines in __init__ and in forward are both marked, and shown.
  const [model, train, readme] = pytorchFor(templateDoc('starter-cnn'));
  await selectNode(page, 'down1');
  await expect.poll(() => decorated(page)).toEqual(linesOf(model!.lineNodes, 'down1'));
  await expect(editor.locator('.view-lines')).toContainText(
    'self.down1 = nn.Conv2d(16, 32, 3, stride=2, bias=False)',
  );
  await expect(editor.locator('.view-lines')).toContainText('down1 = F.pad(conv_relu, (0, 1, 0, 1))');
  await snap(page, info, 'pytorch-node-selected');

  // Clicking a line of another node in forward selects that node.
  const otherLine = linesOf(model!.lineNodes, 'conv_relu').at(-1)!;
  const number = editor.locator('.line-numbers', { hasText: new RegExp(`^${otherLine}$`) });
  const box = (await number.boundingBox())!;
  await page.mouse.click(box.x + box.width + 120, box.y + box.height / 2);
  await expect(page.getByLabel('Node name')).toHaveAttribute('placeholder', 'conv_relu');
  await expect.poll(() => decorated(page)).toEqual(linesOf(model!.lineNodes, 'conv_relu'));

  // The other files are a tab away.
  await page.getByRole('tab', { name: 'train.py' }).click();
  await expect(editor.locator('.view-lines')).toContainText('Trains Starter CNN (model.py)');
  await snap(page, info, 'pytorch-train');
  await page.getByRole('tab', { name: 'README.md' }).click();
  await expect(editor.locator('.view-lines')).toContainText('# Starter CNN in PyTorch');

  // Download gives the three files in one zip, exactly as generated.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('Starter-CNN-pytorch.zip');
  const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  expect(Object.keys(zip).sort()).toEqual(
    ['README.md', 'model.py', 'train.py'].map((f) => `Starter-CNN-pytorch/${f}`),
  );
  for (const f of [model!, train!, readme!])
    expect(strFromU8(zip[`Starter-CNN-pytorch/${f.name}`]!)).toBe(f.code);

  // Back to TypeScript.
  await page.getByRole('button', { name: 'TypeScript' }).click();
  await expect(editor.locator('.view-lines')).toContainText('export function createModel');
  expect(problems).toEqual([]);
});

test('a graph that cannot be built says why instead of showing code', async ({ page }, info) => {
  await openApp(page);
  await page.keyboard.press('c');
  await expect(page.getByTestId('code-editor')).toBeVisible();
  await page
    .getByRole('region', { name: 'Model summary' })
    .getByRole('cell', { name: 'classes', exact: true })
    .click();
  await expect(page.getByLabel('Node name')).toHaveAttribute('placeholder', 'classes');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('code-problems')).toContainText('The graph has no Output node');
  await snap(page, info, 'code-problems');
});

test('a saved model.json opens with its weights; an unknown layer is refused with where', async ({
  page,
}, info) => {
  await openApp(page);
  const layer = (class_name: string, name: string, config: object, input?: string) => ({
    class_name,
    name,
    config: { name, ...config },
    inbound_nodes: input === undefined ? [] : [[[input, 0, 0, {}]]],
  });
  const layers = [
    layer('InputLayer', 'pixels', { batch_input_shape: [null, 8, 8, 1] }),
    layer(
      'Conv2D',
      'features',
      { filters: 2, kernel_size: [3, 3], padding: 'same', activation: 'relu' },
      'pixels',
    ),
    layer('GlobalAveragePooling2D', 'pool', {}, 'features'),
    layer('Dense', 'scores', { units: 3, activation: 'softmax' }, 'pool'),
  ];
  const topology = (ls: object[]) => ({
    class_name: 'Model',
    config: { name: 'tiny', layers: ls, input_layers: [['pixels', 0, 0]], output_layers: [['scores', 0, 0]] },
  });
  const weights = [
    { name: 'features/kernel', shape: [3, 3, 1, 2], dtype: 'float32' },
    { name: 'features/bias', shape: [2], dtype: 'float32' },
    { name: 'scores/kernel', shape: [2, 3], dtype: 'float32' },
    { name: 'scores/bias', shape: [3], dtype: 'float32' },
  ];
  const modelJson = {
    format: 'layers-model',
    modelTopology: topology(layers),
    weightsManifest: [{ paths: ['./tiny.bin'], weights }],
  };
  const bin = Buffer.from(new Float32Array(18 + 2 + 6 + 3).map((_, i) => i / 10).buffer);
  await page.getByTestId('import-file').setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(modelJson)) },
    { name: 'tiny.bin', mimeType: 'application/octet-stream', buffer: bin },
  ]);
  await expect(node(page, 'features')).toBeVisible();
  await expect(page.locator('.toast').filter({ hasText: 'Imported' })).toContainText(
    'Imported the model and its 4 weight tensors from model.json.',
  );
  // The weights go into the graph as it is (an 8×8 grey input, 3 classes), whatever the data.
  await expect(page.locator('.toast').filter({ hasText: 'Weights loaded into the graph.' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.locator('.brand')).toContainText('tiny');
  await expect(page.getByTestId('graph-status')).toHaveText('valid: ready to train');
  await snap(page, info, 'model-imported');

  const unknown = [...layers.slice(0, 3), layer('Conv3D', 'foo', { filters: 2 }, 'pool')];
  await page.getByTestId('import-file').setInputFiles({
    name: 'model.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ modelTopology: topology(unknown) })),
  });
  await expect(page.getByTestId('import-errors')).toContainText(
    "layer 'foo' (layers[3]): Conv3D is not supported.",
  );
  await snap(page, info, 'model-import-error');
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(node(page, 'features')).toBeVisible();
});
