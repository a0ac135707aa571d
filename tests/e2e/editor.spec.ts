import { expect, test } from '@playwright/test';
import {
  dragLink,
  dropFromPalette,
  field,
  fixture,
  node,
  openApp,
  savedGraph,
  selectNode,
  shapeOf,
  shareFragment,
  pickInSummary,
  snap,
} from './helpers';

test('1. build a CNN from an empty canvas by dragging and linking, reading every shape', async ({
  page,
}, info) => {
  await openApp(page);
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await snap(page, info, '1-empty');

  const kinds = ['input', 'conv', 'stride2', 'gap', 'output'];
  for (const [i, kind] of kinds.entries()) await dropFromPalette(page, kind, { x: 330, y: 40 + i * 85 });
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await snap(page, info, '1-dropped');
  // Before linking, each layer says what it is missing.
  await expect(node(page, 'conv_1')).toContainText('needs an input');

  const ids = ['input_1', 'conv_1', 'stride2_1', 'gap_1', 'output_1'];
  for (let i = 0; i + 1 < ids.length; i++) await dragLink(page, ids[i]!, ids[i + 1]!);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);

  const expected = ['32×32×3', '32×32×16', '16×16×32', '32', '10'];
  for (const [i, id] of ids.entries()) await expect(shapeOf(page, id)).toHaveText(expected[i]!);
  await expect(page.locator('.edge-label').first()).toHaveText('32×32×3');
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId('graph-status')).toHaveText('valid: ready to train');
  await snap(page, info, '1-built');
});

test('2. a mismatched Add is refused with the reason; the suggested projection fixes it', async ({
  page,
}, info) => {
  const doc = fixture(
    'mismatch',
    [
      ['image', 'input', { height: 16, width: 16, channels: 3 }],
      ['conv', 'conv', { filters: 32 }],
      ['down', 'stride2', {}],
      ['sum', 'add', {}],
      ['pool', 'gap', {}],
      ['out', 'output', {}],
    ],
    [
      ['image', 'conv'],
      ['conv', 'down'],
      ['down', 'sum', 0],
      ['sum', 'pool'],
      ['pool', 'out'],
    ],
  );
  await openApp(page, `/${shareFragment(doc)}`);
  await expect(shapeOf(page, 'conv')).toHaveText('16×16×32');
  await expect(shapeOf(page, 'down')).toHaveText('8×8×64');

  // Drag the 16×16×32 tensor into the Add's second input: the reason shows by the pointer.
  await dragLink(page, 'conv', 'sum', 1, true);
  const hint = page.getByTestId('connection-hint');
  await expect(hint).toContainText('input 1 is 8×8×64 and input 2 is 16×16×32');
  await expect(hint).toContainText('Put a 1×1 stride-2 conv with 64 filters on the 16×16×32 branch');
  await snap(page, info, '2-refused-while-dragging');
  await page.mouse.up();
  await expect(page.locator('.toast-error')).toContainText('Link refused');
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);

  // Do what it says: a Stride-2 conv with a 1×1 kernel and 64 filters on the shortcut.
  await dropFromPalette(page, 'stride2', { x: 620, y: 200 });
  await selectNode(page, 'stride2_1');
  await field(page, 'kernel size').fill('1');
  await dragLink(page, 'conv', 'stride2_1');
  await expect(shapeOf(page, 'stride2_1')).toHaveText('8×8×64');
  await dragLink(page, 'stride2_1', 'sum', 1);
  await expect(shapeOf(page, 'sum')).toHaveText('8×8×64');
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId('graph-status')).toHaveText('valid: ready to train');
  await snap(page, info, '2-fixed');
});

test('3. changing a stride in the inspector updates every shape downstream', async ({ page }, info) => {
  await openApp(page);
  await selectNode(page, 'conv');
  await field(page, 'stride').fill('2');
  await expect(shapeOf(page, 'conv')).toHaveText('16×16×16');
  await expect(shapeOf(page, 'down1')).toHaveText('8×8×32');
  // The graph opens at a readable zoom, from its top: show all of it to read the last shapes.
  await page.getByRole('button', { name: 'Fit' }).click();
  await expect(shapeOf(page, 'down2')).toHaveText('4×4×64');
  await expect(page.getByTestId('inspector-shape')).toHaveText('16×16×16');
  await snap(page, info, '3-stride-2');
});

test('4. undo and redo return exactly to earlier states', async ({ page }, info) => {
  await openApp(page);
  const states = [await savedGraph(page)];
  await selectNode(page, 'conv');
  await field(page, 'filters').fill('24');
  states.push(await savedGraph(page));
  const box = (await node(page, 'down1').boundingBox())!;
  await page.mouse.move(box.x + 60, box.y + 15);
  await page.mouse.down();
  await page.mouse.move(box.x + 260, box.y + 40, { steps: 12 });
  await page.mouse.up();
  states.push(await savedGraph(page));
  await pickInSummary(page, 'down2');
  await page.keyboard.press('Delete');
  states.push(await savedGraph(page));
  expect(states[3]!.nodes.map((n) => n.id)).not.toContain('down2');
  await snap(page, info, '4-edited');

  for (let i = 2; i >= 0; i--) {
    await page.keyboard.press('Control+z');
    expect(await savedGraph(page)).toEqual(states[i]);
  }
  // Picking down2 from the summary centred the view on it: show the whole graph again.
  await page.getByRole('button', { name: 'Fit' }).click();
  await expect(shapeOf(page, 'conv')).toHaveText('32×32×16');
  await snap(page, info, '4-undone');
  for (let i = 1; i <= 3; i++) {
    await page.keyboard.press('Control+Shift+z');
    expect(await savedGraph(page)).toEqual(states[i]);
  }
  await snap(page, info, '4-redone');
});

test('5. reload restores; export then import round-trips; a corrupt file changes nothing', async ({
  page,
}, info) => {
  await openApp(page);
  await selectNode(page, 'conv');
  await field(page, 'filters').fill('40');
  await page.getByLabel('Node name').fill('first features');
  await page.getByLabel('Node name').press('Enter');
  const edited = await savedGraph(page);
  await page.reload();
  await expect(shapeOf(page, 'conv')).toHaveText('32×32×40');
  await expect(node(page, 'conv')).toContainText('first features');
  expect(await savedGraph(page)).toEqual(edited);
  await snap(page, info, '5-reloaded');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export' }).click(),
  ]);
  const exported = (await download.path())!;

  // Change the graph, then import the exported file: the exported graph comes back exactly.
  await page.getByRole('button', { name: 'Templates ▾' }).click();
  await page.locator('[data-template="tiny-vgg"]').click();
  await expect(node(page, 'conv_1_1')).toBeVisible();
  await page.getByTestId('import-file').setInputFiles(exported);
  await expect(shapeOf(page, 'conv')).toHaveText('32×32×40');
  expect(await savedGraph(page)).toEqual(edited);

  // A truncated file: a located error, and the graph stays as it was.
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(exported, 'utf8');
  await page.getByTestId('import-file').setInputFiles({
    name: 'truncated.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text.slice(0, Math.floor(text.length / 2))),
  });
  await expect(page.getByTestId('import-errors')).toContainText(/ends too early at line \d+, column \d+/);
  await snap(page, info, '5-corrupt-file');
  await page.getByRole('button', { name: 'Close' }).click();
  // Wrong types and an unknown kind, located by node and field.
  const broken = JSON.parse(text);
  broken.nodes[1].params.filters = 'many';
  broken.nodes[2].kind = 'attention';
  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(broken)),
  });
  await expect(page.getByTestId('import-errors')).toContainText(
    "node 'conv' (nodes[1].params.filters): must be a whole number",
  );
  await expect(page.getByTestId('import-errors')).toContainText(
    `node 'conv_bn' (nodes[2].kind): "attention" is not a known node kind`,
  );
  await page.getByRole('button', { name: 'Close' }).click();
  expect(await savedGraph(page)).toEqual(edited);
});

test('6. a share link opens the same graph in a new page', async ({ page, browser }, info) => {
  await openApp(page, '/?template=resnet-20');
  await expect(node(page, 'stem')).toBeVisible();
  await selectNode(page, 'stem');
  await field(page, 'filters').fill('20');
  const original = await savedGraph(page);
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Link to this graph' }).inputValue();
  expect(link).toMatch(/#graph=/);
  await snap(page, info, '6-share-dialog');

  const other = await (await browser.newContext()).newPage();
  await openApp(other, link);
  expect(await savedGraph(other)).toEqual(original);
  await expect(other).toHaveURL(/\/$/);
  await snap(other, info, '6-opened-link');
});

test('untrusted names from a share link stay inert text', async ({ page }, info) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const evil = fixture(
    '<img src=x onerror="window.__owned=1">',
    [
      ['image', 'input', {}, '<script>window.__owned=2</script>'],
      ['pool', 'gap', {}, '<img src=x onerror="alert(1)">'],
      ['out', 'output', {}, '"><svg onload=alert(2)>'],
    ],
    [
      ['image', 'pool'],
      ['pool', 'out'],
    ],
  );
  await openApp(page, `/${shareFragment(evil)}`);
  await expect(node(page, 'image')).toContainText('<script>window.__owned=2</script>');
  await expect(node(page, 'pool')).toContainText('<img src=x onerror="alert(1)">');
  await expect(page.locator('.brand')).toContainText('<img src=x onerror="window.__owned=1">');
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
  expect(await page.locator('.react-flow img, .react-flow script, .react-flow svg[onload]').count()).toBe(0);
  expect(dialogs).toEqual([]);
  await snap(page, info, 'untrusted-names');
});
