import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { pngFile } from '../unit/support/images';
import { stripes, writeStripesFolder } from '../unit/support/stripes';
import { seededRandom } from '../../src/data/random';
import { openApp, snap } from './helpers';

let root: string;
let folder: string;

test.beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'convcanvas-e2e-data-'));
  // Two classes of 40 PNG files each (horizontal and vertical stripes) and one corrupt PNG.
  folder = await writeStripesFolder(root, { perClass: 40, side: 40, corrupt: true });
});
test.afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test('a folder of PNGs loads with its counts and skipped file, trains an epoch, and comes back after a reload', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page, '/?backend=wasm');
  const training = page.getByRole('region', { name: 'Training' });
  await training.getByTestId('data-folder').setInputFiles(folder);
  const report = training.getByTestId('data-report');
  await expect(report).toContainText('Loaded stripes: 80 images in 2 classes', { timeout: 30_000 });
  await expect(report).toContainText('Skipped 1 file:');
  await expect(training.getByTestId('data-skipped')).toContainText(
    'stripes/vertical/broken.png: the PNG data is damaged',
  );
  await expect(training.getByRole('combobox', { name: 'Dataset' })).toHaveValue(/^[0-9a-f]{16}$/);
  await expect(training.getByTestId('data-summary')).toContainText(
    '2 classes: 64 training and 16 validation images',
  );
  await expect(training.getByTestId('data-summary')).toContainText('Kept in this browser.');
  await expect(training.getByRole('heading', { level: 2 })).toHaveText('Train on stripes 32×32 colour');
  // The Starter CNN chooses between 10 classes: one click sets it to the data's 2.
  await snap(page, info, 'data-loaded');
  await training.getByRole('button', { name: 'Set the Output to 2 classes' }).click();
  await expect(page.getByTestId('data-fit')).toHaveCount(0);

  // The data as the graph sees it: each class with its counts and images.
  await training.getByText('Look at the data').click();
  const preview = training.getByTestId('data-preview');
  await expect(preview.getByRole('rowheader', { name: /horizontal/ })).toContainText('32 + 8');
  await expect(preview.locator('canvas.thumb')).toHaveCount(12);
  await snap(page, info, 'data-preview');

  await training.getByRole('spinbutton', { name: 'epochs' }).fill('1');
  await training.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText(/Done\.|\S/, { timeout: 10_000 });
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 150_000 });
  const matrix = page.getByRole('table', { name: 'Confusion matrix' });
  await expect(matrix.locator('tr')).toHaveCount(2);
  await expect(matrix.getByRole('rowheader')).toHaveText(['horizontal', 'vertical']);
  await snap(page, info, 'trained-on-folder');
  await page.setViewportSize({ width: 1280, height: 720 });
  await snap(page, info, 'trained-on-folder-1280');

  // After a reload the dataset is still here (kept in IndexedDB), chosen, and its weights come back.
  await page.reload();
  await expect(training.getByRole('heading', { level: 2 })).toHaveText('Train on stripes 32×32 colour', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('weights-restored')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('table', { name: 'Confusion matrix' }).getByRole('rowheader')).toHaveText([
    'horizontal',
    'vertical',
  ]);
});

test('the augmentation lab: moving a brightness handle changes its preview', async ({ page }, info) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page, '/?backend=wasm');
  const training = page.getByRole('region', { name: 'Training' });
  await training.getByRole('button', { name: 'Augmentation lab…' }).click();
  const lab = page.getByRole('dialog', { name: 'Augmentation lab' });
  const brightness = lab.getByTestId('preview-brightness').locator('canvas');
  await expect(brightness).toHaveCount(3, { timeout: 30_000 });
  const high = brightness.nth(2);
  const before = await high.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await snap(page, info, 'lab-open');
  const handle = lab.getByRole('slider', { name: 'Brightness, high end' });
  await handle.focus();
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  await expect(handle).toHaveAttribute('aria-valuenow', '1.4');
  await expect(lab.getByTestId('preview-brightness')).toContainText('high ×1.40');
  expect(await high.evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(before);
  await expect(training.getByTestId('augment-summary')).toHaveText('your own settings');
  await lab.getByRole('button', { name: 'Photos' }).click();
  await expect(training.getByTestId('augment-summary')).toHaveText('Photos');
  await lab.getByRole('button', { name: 'New samples' }).click();
  await expect(lab.getByTestId('fresh-samples').locator('canvas')).toHaveCount(12);
  await snap(page, info, 'lab-photos');
  await lab.getByRole('radio', { name: 'Zero (black)' }).click();
  await expect(lab.getByRole('radio', { name: 'Zero (black)' })).toHaveAttribute('aria-checked', 'true');
  await snap(page, info, 'lab-fill-zero');
  await lab.getByRole('button', { name: 'Done' }).click();
  await expect(lab).toHaveCount(0);
});

/** `count` stripe PNGs of one class, named as a camera would name them (no class folders). */
function looseStripes(vertical: boolean, count: number, seed: number) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    name: `IMG_${String(seed * 100 + i).padStart(4, '0')}.png`,
    mimeType: 'image/png',
    buffer: Buffer.from(pngFile(24, 24, stripes(24, vertical, random))),
  }));
}

test('loose images: one class picked with Add files, the other dropped on the page, each named in turn', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page, '/?backend=wasm');
  const training = page.getByRole('region', { name: 'Training' });

  // The first class through the file picker: not in class folders, so its class is asked for.
  await training.getByTestId('data-files').setInputFiles(looseStripes(false, 12, 1));
  const dialog = page.getByRole('dialog', { name: 'Class of the dropped images' });
  await expect(dialog.getByRole('heading')).toHaveText('Which class are these 12 images?');
  await snap(page, info, 'loose-class-asked');
  await dialog.getByLabel('Class name').fill('horizontal');
  await dialog.getByRole('button', { name: 'Add the images' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(training.getByRole('combobox', { name: 'Dataset' })).toHaveValue(/^[0-9a-f]{16}$/, {
    timeout: 30_000,
  });
  await snap(page, info, 'loose-one-class');

  // The second class dropped onto the page as files, the way a file manager drops them.
  const files = looseStripes(true, 10, 2).map((f) => ({ ...f, buffer: f.buffer.toString('base64') }));
  await page.evaluate((payload) => {
    const transfer = new DataTransfer();
    for (const f of payload) {
      const bytes = Uint8Array.from(atob(f.buffer), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: f.mimeType }));
    }
    for (const type of ['dragenter', 'dragover', 'drop'])
      document.body.dispatchEvent(
        new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }),
      );
  }, files);
  await expect(dialog.getByRole('heading')).toHaveText('Which class are these 10 images?');
  // It joins the collection begun with the first class, whose classes are offered.
  await expect(dialog).toContainText('They are not in class folders, so they are added to My images');
  await dialog.getByLabel('Class name').fill('vertical');
  await dialog.getByRole('button', { name: 'Add the images' }).click();
  await expect(training.getByRole('combobox', { name: 'Dataset' })).toContainText('My images · 2 classes', {
    timeout: 30_000,
  });
  await expect(training.getByTestId('data-report')).toContainText('Loaded My images: 22 images in 2 classes');
  await expect(training.getByTestId('data-summary')).toContainText('18 training and 4 validation images');
  await snap(page, info, 'loose-two-classes');

  // Both classes reach the data the graph sees (once its Output has their count), with their images.
  await training.getByRole('button', { name: 'Set the Output to 2 classes' }).click();
  await training.getByText('Look at the data').click();
  const preview = training.getByTestId('data-preview');
  await expect(preview.getByRole('rowheader', { name: /horizontal/ })).toBeVisible();
  await expect(preview.getByRole('rowheader', { name: /vertical/ })).toBeVisible();
  await snap(page, info, 'loose-preview');
});
