import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { randomFile, writeRobomimic } from '../fixtures/datasets/write-datasets';

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
