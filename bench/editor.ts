/**
 * Editor responsiveness in real Chromium: frames per second while dragging a node and while panning,
 * and the time from an edit in the inspector to updated shapes on the canvas.
 * `npm run bench:editor` (builds the app and serves it on a spare port).
 */
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import lz from 'lz-string';
import { renderTable } from '../src/cli/table';
import { residualTower } from './graphs';
import { executablePath, serveBuild } from './serve';

const PORT = 4391;
let BASE = '';

/** Frames drawn per second and the longest frame while `act` runs. */
async function measureFrames(
  page: Page,
  act: () => Promise<void>,
): Promise<{ fps: number; worstMs: number }> {
  // Browser-side code goes in as text: the TypeScript runner would otherwise wrap it in helpers
  // that do not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__counting = true;
    const tick = (t) => { window.__frames.push(t); if (window.__counting) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await act();
  const frames = (await page.evaluate(
    '(() => { window.__counting = false; return window.__frames; })()',
  )) as number[];
  const span = frames.at(-1)! - frames[0]!;
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!);
  return { fps: ((frames.length - 1) / span) * 1000, worstMs: Math.max(...gaps) };
}

async function drag(
  page: Page,
  from: { x: number; y: number },
  dx: number,
  dy: number,
  steps = 90,
): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + (dx * i) / steps, from.y + (dy * i) / steps);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
}

/** Milliseconds from typing a new input height to `watch`'s shape badge (on screen) showing the new shape. */
async function editToShapes(page: Page, input: string, watch: string, height: number): Promise<number> {
  await page.locator(`.react-flow__node[data-id="${input}"] .layer-title`).click();
  return (await page.evaluate(`new Promise((resolve) => {
    const badge = document.querySelector('.react-flow__node[data-id="${watch}"] [data-testid="shape"]');
    const before = badge.textContent;
    const label = [...document.querySelectorAll('.inspector label')].find((l) => l.textContent === 'height');
    const field = document.getElementById(label.getAttribute('for'));
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const start = performance.now();
    setValue.call(field, '${height}');
    field.dispatchEvent(new Event('input', { bubbles: true }));
    const check = () =>
      badge.textContent !== before ? resolve(performance.now() - start)
      : performance.now() - start > 5000 ? resolve(NaN) : requestAnimationFrame(check);
    check();
  })`)) as number;
}

async function main(): Promise<void> {
  const server = await serveBuild(PORT);
  BASE = server.base;
  try {
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    const tower = residualTower(300);
    const cases = [
      {
        name: 'ResNet-34',
        url: `${BASE}/?template=resnet-34`,
        nodes: 127,
        input: 'image',
        drag: 'layer1_0_conv1',
        watch: 'stem',
        heights: [192, 224, 160, 224],
      },
      {
        name: 'tower-300',
        url: `${BASE}/#graph=${lz.compressToEncodedURIComponent(JSON.stringify(tower))}`,
        nodes: tower.nodes.length,
        input: tower.nodes[0]!.id,
        heights: [16, 32, 24, 32],
        drag: 'conv_2',
        watch: tower.nodes[2]!.id,
      },
    ];
    const rows: string[][] = [];
    for (const c of cases) {
      console.log(`measuring ${c.name}…`);
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(c.url);
      await page.locator('.react-flow__node').first().waitFor();
      // Templates open with their stages folded: measure the whole network, every layer drawn.
      const unfold = page.getByRole('button', { name: 'Unfold all' });
      if (await unfold.isVisible()) await unfold.click();
      await page.waitForTimeout(800);
      // The node to drag, in the middle of the canvas (near an edge, a drag pans the view as well).
      await page.getByRole('combobox', { name: 'Find a node by id, name or kind' }).fill(c.drag);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(600);
      const box = (await page.locator(`.react-flow__node[data-id="${c.drag}"]`).boundingBox())!;
      const dragging = await measureFrames(page, () => drag(page, { x: box.x + 40, y: box.y + 10 }, 220, 60));
      const pane = (await page.getByTestId('canvas').boundingBox())!;
      const panning = await measureFrames(page, () =>
        drag(page, { x: pane.x + 40, y: pane.y + 60 }, 150, 300),
      );
      // Bring the input back into view (the gestures moved it), through the find box.
      await page.getByRole('combobox', { name: 'Find a node by id, name or kind' }).fill(c.input);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
      const edits = [];
      for (const h of c.heights) edits.push(await editToShapes(page, c.input, c.watch, h));
      edits.sort((a, b) => a - b);
      rows.push([
        c.name,
        String(c.nodes),
        dragging.fps.toFixed(0),
        dragging.worstMs.toFixed(0),
        panning.fps.toFixed(0),
        panning.worstMs.toFixed(0),
        edits[Math.floor(edits.length / 2)]!.toFixed(1),
      ]);
      await page.close();
    }
    await browser.close();
    console.log('\nEditor in headless Chromium (1440×900); fps = frames drawn per second during the gesture');
    console.log(
      renderTable(
        ['graph', 'nodes', 'drag fps', 'drag worst ms', 'pan fps', 'pan worst ms', 'edit→shapes ms'],
        rows,
        ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
  } finally {
    server.close();
  }
}

await main();
