import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { writeSquareRobomimic } from '../fixtures/datasets/image-datasets';
import { barFrame } from '../fixtures/datasets/lerobot-video/bar-frames';
import { writeLeRobotVideoV2 } from '../fixtures/datasets/lerobot-video/lerobot-video-files';

// The image models on a recorded dataset in a real Chromium (issues 6 and 7): a robomimic HDF5 of a
// square moved by the action, written by the run writer. The Latent space view trains on it and
// draws its codes; the Visual foresight view shows a dataset frame, trains on the dataset, predicts
// under the recorded actions (predicted and recorded frames, the heat map of a designated pixel),
// then makes one plan toward a goal pixel without executing it. A LeRobot dataset whose camera is
// an AV1 video is decoded by the browser into image arrays, uploaded, and trained on.

let file: string;
test.beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), 'mbrl-e2e-image-datasets-')), 'square.hdf5');
  await writeSquareRobomimic(file, { episodes: 4, steps: 10, size: 16 });
});

async function open(page: Page, view: 'latent' | 'foresight', title: string): Promise<string[]> {
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId(`nav-${view}`).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  return consoleErrors;
}

/** Opens the dataset through the source picker and waits for its image array. */
async function chooseDataset(page: Page, source: string): Promise<void> {
  await page.getByTestId(source).selectOption('dataset');
  await page.getByTestId('image-dataset-path').fill(file);
  await page.getByTestId('image-dataset-open').click();
  await expect(page.getByTestId('image-dataset-summary')).toContainText('square.hdf5 · robomimic · 4 episodes', { timeout: 15_000 });
  await expect(page.getByTestId('image-dataset-key')).toHaveValue('obs/top_image');
}

/** Pixels of the point cloud's WebGL canvas that are viridis points, not the dark scene (as latent.spec.ts counts them). */
async function cloudPixels(page: Page): Promise<number> {
  return page.getByTestId('latent-cloud').locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0);
    const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 1] > 110 && data[i + 1] > data[i + 2] - 10) n++;
    return n;
  });
}

/** Pixels of a 2-D canvas brighter than `level` in the red channel. */
async function brightPixels(page: Page, canvas: ReturnType<Page['locator']>, level = 60): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement, min: number) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > min && data[i + 3] > 0) n++;
    return n;
  }, level);
}

test('trains a latent model on a recorded image dataset and draws its codes', async ({ page }) => {
  test.setTimeout(120_000);
  const consoleErrors = await open(page, 'latent', 'Latent space');
  const before = await cloudPixels(page);
  await chooseDataset(page, 'latent-source');
  await page.getByTestId('latent-image-size').selectOption('16');
  await page.getByTestId('latent-epochs').fill('2');
  await page.getByTestId('latent-run').click();
  await expect(page.getByTestId('latent-loss-consistency')).toBeVisible({ timeout: 90_000 });
  // Colour by the dataset's own state names; strips of observed / reconstructed / predicted frames.
  await expect(page.getByTestId('latent-colour-by').locator('option')).toHaveText(['obs/state[0]', 'obs/state[1]'], { timeout: 30_000 });
  // Episodes of 10 steps, predicted 5 ahead: 5 columns of 3 rows.
  await expect(page.getByTestId('frame-strip').locator('canvas')).toHaveCount(15);
  await expect.poll(() => cloudPixels(page), { timeout: 15_000 }).toBeGreaterThan(before + 50);
  const observed = page.getByTestId('frame-strip').locator('canvas[data-row="0"]').first();
  expect(await brightPixels(page, observed)).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/latent-dataset.png' });
  expect(consoleErrors).toEqual([]);
});

test('visual foresight on dataset frames: predicts under the recorded actions and plans without executing', async ({ page }) => {
  test.setTimeout(120_000);
  const consoleErrors = await open(page, 'foresight', 'Visual foresight');
  await chooseDataset(page, 'foresight-source');
  const frame = page.getByTestId('pixel-picker').locator('canvas').first();
  // The start frame is the dataset's: the square on black, at 32×32.
  await expect.poll(() => brightPixels(page, frame), { timeout: 20_000 }).toBeGreaterThan(4);
  await page.getByTestId('foresight-dataset-episode').selectOption('1');
  await page.getByTestId('foresight-dataset-step').fill('2');
  await page.screenshot({ path: 'test-results/foresight-dataset-start.png' });
  await expect(page.getByTestId('foresight-predict')).toBeDisabled();
  await page.getByTestId('foresight-train-steps').fill('4');
  await page.getByTestId('foresight-train').click();
  await expect(page.getByTestId('foresight-loss')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('foresight-predict')).toBeEnabled({ timeout: 60_000 });

  // Designate the square's brightest spot: its centre of red mass.
  const [col, row, size] = await frame.evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let [m, x, y] = [0, 0, 0];
    for (let i = 0; i < c.width * c.height; i++) {
      m += data[4 * i];
      x += data[4 * i] * (i % c.width);
      y += data[4 * i] * Math.floor(i / c.width);
    }
    return [Math.round(x / m), Math.round(y / m), c.width];
  });
  const box = (await page.getByTestId('pixel-picker').boundingBox())!;
  const click = (c: number, r: number) => page.mouse.click(box.x + ((c + 0.5) / size) * box.width, box.y + ((r + 0.5) / size) * box.height);
  await click(col, row);
  await expect(page.getByTestId('designated-0')).toBeVisible();
  await page.getByTestId('foresight-predict').click();
  // Predicted frames (4 steps) with the designated pixel's map, and the recorded frames beside them.
  await expect(page.getByTestId('foresight-predicted').getByTestId('frame-strip').locator('canvas')).toHaveCount(8, { timeout: 30_000 });
  await expect(page.getByTestId('foresight-executed')).toContainText('Recorded frames');
  await expect(page.getByTestId('foresight-executed').getByTestId('frame-strip').locator('canvas')).toHaveCount(4);
  await expect.poll(() => brightPixels(page, page.getByTestId('heat-overlay'), -1), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('foresight-message')).toContainText('predicted 4 steps under the recorded actions from episode 1, step 2');
  await page.screenshot({ path: 'test-results/foresight-dataset-predict.png' });

  // A goal pixel 6 px to the right, then one plan through the model (nothing executed).
  await page.getByTestId('foresight-edit').click();
  await click(Math.min(size - 1, col + 6), row);
  await expect(page.getByTestId('goal-0')).toBeVisible();
  await page.getByTestId('foresight-run').click();
  await expect(page.getByTestId('foresight-message')).toContainText(/planned 4 steps from episode 1, step 2 \(not executed\); predicted final distance/, { timeout: 60_000 });
  await expect(page.getByTestId('foresight-predicted').getByTestId('frame-strip').locator('canvas')).toHaveCount(8);
  await expect(page.getByTestId('foresight-executed')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/foresight-dataset-plan.png' });
  expect(consoleErrors).toEqual([]);
});

test('decodes a LeRobot video camera in the browser into image arrays and trains on them', async ({ page }) => {
  test.setTimeout(120_000);
  const folder = writeLeRobotVideoV2(join(mkdtempSync(join(tmpdir(), 'mbrl-e2e-video-train-')), 'lerobot-v2-video'));
  const consoleErrors = await open(page, 'latent', 'Latent space');
  await page.getByTestId('latent-source').selectOption('dataset');
  await page.getByTestId('latent-image-size').selectOption('64');
  await page.getByTestId('image-dataset-path').fill(folder);
  await page.getByTestId('image-dataset-open').click();
  await expect(page.getByTestId('image-dataset-summary')).toContainText('lerobot-v2-video · lerobot-v2 · 2 episodes', { timeout: 15_000 });
  await expect(page.getByTestId('image-dataset-none')).toContainText('the engine cannot decode its video features');
  await expect(page.getByTestId('latent-run')).toBeDisabled();
  await expect(page.getByTestId('video-decode-key')).toHaveValue('observation.images.cam');
  await page.getByTestId('video-decode-run').click();
  // The decoded frames come back as an .npz of 64×64 images, opened in place of the video dataset.
  await expect(page.getByTestId('image-dataset-summary')).toContainText('observation.images.cam-64px.npz · npz · 2 episodes', { timeout: 60_000 });
  await expect(page.getByTestId('image-dataset-key')).toHaveValue('obs');

  // The Datasets view shows the same decoded dataset: frame k shows the bar of frame k.
  await page.getByTestId('nav-datasets').click();
  for (const step of [0, 7, 18]) {
    await page.getByTestId('dataset-scrub').fill(String(step));
    await expect(page.getByTestId('dataset-frame')).toHaveAttribute('data-step', String(step), { timeout: 15_000 });
    const { data, width, height } = await page.getByTestId('dataset-frame').evaluate((c: HTMLCanvasElement) => ({
      data: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data),
      width: c.width,
      height: c.height,
    }));
    expect(barFrame(Uint8Array.from(data), width, height, 0)).toBe(step);
  }

  await page.getByTestId('nav-latent').click();
  await page.getByTestId('latent-image-size').selectOption('32');
  await page.getByTestId('latent-epochs').fill('2');
  await page.getByTestId('latent-run').click();
  await expect(page.getByTestId('latent-loss-consistency')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('latent-colour-by').locator('option')).toHaveText(['state[0]', 'state[1]', 'state[2]'], { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/latent-video-dataset.png' });
  expect(consoleErrors).toEqual([]);
});
