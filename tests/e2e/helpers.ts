import { expect } from '@playwright/test';
import type { Locator, Page, TestInfo } from '@playwright/test';
import lz from 'lz-string';

export const AUTOSAVE_KEY = 'convcanvas:graph';

export const node = (page: Page, id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);
export const shapeOf = (page: Page, id: string): Locator => node(page, id).getByTestId('shape');

/** Saves a screenshot into the test's output folder (kept as an artifact). */
export async function snap(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: info.outputPath(`${name}.png`) });
}

/** The graph as autosaved, once the save after the last edit has landed. */
export async function savedGraph(page: Page): Promise<{
  name: string;
  nodes: { id: string; kind: string; params: Record<string, unknown> }[];
  edges: { source: string; target: string; targetHandle: string }[];
}> {
  await page.waitForTimeout(250);
  const text = await page.evaluate((key) => window.localStorage.getItem(key), AUTOSAVE_KEY);
  expect(text).not.toBeNull();
  return JSON.parse(text!);
}

/** A graph document literal for fixtures: nodes [id, kind, params] in a column, links [source, target, slot]. */
export function fixture(
  name: string,
  nodes: [id: string, kind: string, params: Record<string, unknown>, label?: string][],
  links: [source: string, target: string, slot?: number][],
): object {
  return {
    schemaVersion: 1,
    name,
    nodes: nodes.map(([id, kind, params, label], i) => ({
      id,
      kind,
      params,
      ...(label === undefined ? {} : { label }),
      position: { x: (i % 2) * 260, y: i * 120 },
    })),
    edges: links.map(([source, target, slot = 0]) => ({
      id: `${source}-${target}-${slot}`,
      source,
      target,
      targetHandle: `in${slot}`,
    })),
  };
}

export const shareFragment = (doc: object): string =>
  `#graph=${lz.compressToEncodedURIComponent(JSON.stringify(doc))}`;

/** Opens the app and waits for the canvas to show nodes. */
export async function openApp(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (box === null) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a link by mouse from one node's output dot to another's input slot; returns before release when `hold`. */
export async function dragLink(page: Page, from: string, to: string, slot = 0, hold = false): Promise<void> {
  const start = await centre(node(page, from).locator('.react-flow__handle.source'));
  const end = await centre(node(page, to).locator(`.react-flow__handle[data-handleid="in${slot}"]`));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 8 });
  await page.mouse.move(end.x, end.y, { steps: 8 });
  if (!hold) await page.mouse.up();
}

/** Drags a palette entry onto the canvas at a point relative to the canvas' top-left corner. */
export async function dropFromPalette(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  const canvas = page.getByTestId('canvas');
  await page.locator(`.palette [data-kind="${kind}"]`).dragTo(canvas, { targetPosition: at });
}

/** A field of the inspector, by its label. */
export const field = (page: Page, label: string): Locator =>
  page.getByRole('complementary', { name: 'Inspector' }).getByLabel(label, { exact: true });

/** Selects a node by clicking its title. */
/**
 * Selects a node from its row in the summary table (it need not be on screen). Prefer it for nodes
 * near the canvas's edge: a click there makes Playwright scroll React Flow's clipped pane, which
 * shifts every node under the pointer.
 */
export async function pickInSummary(page: Page, id: string): Promise<void> {
  await page
    .getByRole('region', { name: 'Model summary' })
    .getByRole('cell', { name: id, exact: true })
    .click();
  await expect(page.getByLabel('Node name')).toHaveAttribute('placeholder', id);
}

export async function selectNode(page: Page, id: string): Promise<void> {
  await node(page, id).locator('.layer-title').click();
  await expect(page.getByLabel('Node name')).toHaveAttribute('placeholder', id);
}
