import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openLocalDataset } from '../../src-main/engine/datasets/open-local-dataset';
import { writeRobomimic as writeRunFile } from '../../src-main/engine/run/robomimic-writer';
import { randomFile, writeRobomimic } from '../fixtures/datasets/write-datasets';
import { writeLinearDataset } from '../engine/datasets/linear-dataset';

// The served workbench in a real Chromium: open a small robomimic file through the Datasets view,
// see its summary and episodes, the state/action charts, and scrub through an episode.
test('opens a robomimic dataset, plots an episode and scrubs it', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'mbrl-e2e-datasets-'));
  const good = join(dir, 'demo.hdf5');
  await writeRobomimic(good, [12, 8, 10]);
  const broken = randomFile(join(dir, 'broken.hdf5'));

  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId('nav-datasets').click();
  await expect(page.getByRole('heading', { name: 'Datasets' })).toBeVisible();

  // A broken file: one line in the banner, and the engine keeps serving.
  await page.getByTestId('dataset-path').fill(broken);
  await page.getByTestId('dataset-open').click();
  await expect(page.getByTestId('notice-banner')).toContainText('broken.hdf5', { timeout: 15_000 });

  await page.getByTestId('dataset-path').fill(good);
  await page.getByTestId('dataset-open').click();
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('robomimic', { timeout: 15_000 });
  await expect(page.getByTestId('dataset-episode-count')).toHaveText('3');
  await expect(page.getByTestId('dataset-steps')).toHaveText('30');
  await expect(summary).toContainText('data/demo_0/actions');
  await expect(page.getByTestId('dataset-episodes').locator('li')).toHaveCount(3);

  // Episode 0 is shown: the state (eef position, 3 dims) and the actions (2 dims), 12 steps each.
  const state = page.getByTestId('dataset-chart-obs/robot0_eef_pos');
  const actions = page.getByTestId('dataset-chart-actions');
  await expect.poll(async () => Number(await state.getAttribute('data-points')), { timeout: 15_000 }).toBe(3 * 12 + 2);
  await expect.poll(async () => Number(await actions.getAttribute('data-points'))).toBe(2 * 12 + 2);

  // Scrub to step 7: the marker moves and the values at that step show.
  const scrub = page.getByTestId('dataset-scrub');
  await scrub.fill('7');
  await expect(page.getByTestId('dataset-step')).toHaveText('step 7 / 11');
  await expect(page.getByTestId('dataset-values')).toContainText('obs/robot0_eef_pos');
  await expect(page.getByTestId('dataset-values')).toContainText('7.1');

  // Another episode.
  await page.getByTestId('dataset-episodes').locator('button').nth(1).click();
  await expect.poll(async () => Number(await actions.getAttribute('data-points')), { timeout: 15_000 }).toBe(2 * 8 + 2);
  await scrub.fill('5');
  await expect(page.getByTestId('dataset-step')).toHaveText('step 5 / 7');

  await page.screenshot({ path: 'test-results/datasets.png' });
  expect(consoleErrors).toEqual([]);
});

async function openView(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId('nav-datasets').click();
}

async function openPath(page: Page, path: string): Promise<void> {
  await page.getByTestId('dataset-path').fill(path);
  await page.getByTestId('dataset-open').click();
  await expect(page.getByTestId('dataset-summary')).toContainText(path.split('/').pop()!, { timeout: 15_000 });
}

// Upload a file from the browser, see its image frames on a canvas at the scrubbed step.
test('uploads a file and draws the image frame at the scrubbed step', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'mbrl-e2e-datasets-'));
  const file = join(dir, 'upload-demo.hdf5');
  await writeRobomimic(file, [6, 5]);
  await openView(page);
  await page.getByTestId('dataset-upload').setInputFiles(file);
  await expect(page.getByTestId('dataset-summary')).toContainText('mbrl-lab-uploads', { timeout: 15_000 });
  await expect(page.getByTestId('dataset-episode-count')).toHaveText('2');

  // The fixture's image bytes of episode e are (i + e) mod 256 in order; step t starts at i = 192 t.
  const pixels = async () =>
    page.getByTestId('dataset-frame').evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, 2, 1).data));
  await expect(page.getByTestId('dataset-frame')).toHaveAttribute('data-step', '0', { timeout: 15_000 });
  expect(await pixels()).toEqual([0, 1, 2, 255, 3, 4, 5, 255]);
  await page.getByTestId('dataset-scrub').fill('3');
  await expect(page.getByTestId('dataset-frame')).toHaveAttribute('data-step', '3');
  expect(await pixels()).toEqual([576, 577, 578, 255, 579, 580, 581, 255].map((v, i) => (i % 4 === 3 ? 255 : v % 256)));
  await page.getByTestId('dataset-episodes').locator('button').nth(1).click();
  await expect(page.getByTestId('dataset-frame')).toHaveAttribute('data-step', '0', { timeout: 15_000 });
  expect(await pixels()).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
});

// A run's own transitions file names its task: the episode is replayed in 3D and follows the scrub.
test("replays a run file's episode in its task's 3D scene", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'mbrl-e2e-datasets-'));
  const file = join(dir, 'pendulum-run.hdf5');
  const T = 20;
  const obs = new Float32Array((T + 1) * 3);
  for (let t = 0; t <= T; t++) obs.set([Math.cos(t * 0.15), Math.sin(t * 0.15), 0.15 / 0.05], t * 3);
  await writeRunFile(file, [{ obs, act: new Float32Array(T), reward: new Float32Array(T), terminated: new Uint8Array(T) }], { task: 'pendulum', obsDim: 3, actDim: 1 });
  await openView(page);
  await openPath(page, file);
  await expect(page.getByTestId('dataset-replay-task')).toHaveText('pendulum', { timeout: 15_000 });
  const viewport = page.getByTestId('dataset-replay');
  await expect(viewport.locator('canvas')).toBeVisible();
  const before = await viewport.screenshot();
  await page.getByTestId('dataset-scrub').fill('15');
  await expect.poll(async () => Buffer.compare(before, await viewport.screenshot()) !== 0, { timeout: 10_000 }).toBe(true);
  await page.screenshot({ path: 'test-results/datasets-replay.png' });
});

// Train an ensemble from the view, see the open-loop prediction charts; export episodes to NPZ.
test('trains an ensemble from the view and exports episodes', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'mbrl-e2e-datasets-'));
  const file = join(dir, 'linear.hdf5');
  await writeLinearDataset(file, 6, 25);
  await openView(page);
  await openPath(page, file);
  await page.getByTestId('train-members').fill('2');
  await page.getByTestId('train-epochs').fill('12');
  await page.getByTestId('train-hidden').fill('16');
  await page.getByTestId('train-holdout').fill('34');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-progress')).toBeVisible();
  const chart = page.getByTestId('prediction-chart-0');
  await expect(chart).toBeVisible({ timeout: 60_000 });
  // The recording's 26 points, plus the two members' and the mean's while they stay in the plot.
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(26 + 3);
  await expect(chart).toContainText('ensemble mean ± std');
  await expect(page.getByTestId('prediction-chart-1')).toBeVisible();
  await expect(page.getByTestId('train-loss')).toBeVisible();

  const out = join(dir, 'export.npz');
  await page.getByTestId('export-format').selectOption('npz');
  await page.getByTestId('export-which').selectOption('list');
  await page.getByTestId('export-episodes').fill('0,2-3');
  await page.getByTestId('export-path').fill(out);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toContainText('Wrote 3 episodes, 75 transitions', { timeout: 15_000 });
  expect(existsSync(out)).toBe(true);
  const back = await openLocalDataset(out);
  expect(back.summary.episodes.map((e) => e.length)).toEqual([25, 25, 25]);
  await back.close();
  await page.screenshot({ path: 'test-results/datasets-train.png', fullPage: true });
});
