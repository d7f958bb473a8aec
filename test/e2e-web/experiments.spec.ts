import { expect, test, type Page } from '@playwright/test';

// The served workbench in a real Chromium: run the tiny preset from the Experiments view and see
// the live curves and the model's predicted (ghost) trajectory arrive.
const count = async (page: Page, testId: string, attr?: string) => {
  const el = page.getByTestId(testId);
  return Number(attr ? await el.getAttribute(attr) : await el.textContent());
};

test('runs the tiny preset and shows curves and the ghost trajectory', async ({ page }, testInfo) => {
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });

  await page.getByTestId('nav-experiments').click();
  await expect(page.getByRole('heading', { name: 'Experiments' })).toBeVisible();
  // The presets come from the engine (resources/presets); the tiny one is picked by its file name.
  await expect(page.getByTestId('preset-select').locator('option[value="v10-halfcheetah"]')).toHaveCount(1, { timeout: 10_000 });
  await page.getByTestId('preset-select').selectOption('tiny-pendulum');
  await expect(page.getByTestId('preset-select').locator('option:checked')).toHaveText('Tiny (smoke test)');
  await expect(page.getByTestId('spec-task')).toHaveValue('pendulum');
  await page.getByTestId('experiment-run').click();

  // Progress is reported in env steps; the cancel button is live while it runs.
  await expect.poll(() => count(page, 'experiment-progress', 'data-total'), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('experiment-cancel')).toBeEnabled();
  await expect.poll(() => count(page, 'ghost-events'), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect.poll(() => count(page, 'loss-chart', 'data-points'), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(() => count(page, 'returns-chart', 'data-points'), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('experiment-state')).toHaveText('done', { timeout: 60_000 });
  expect(await count(page, 'experiment-progress', 'data-done')).toBe(await count(page, 'experiment-progress', 'data-total'));

  // The finished run is listed from disk.
  await expect(page.getByTestId('runs-list').locator('li input[type="checkbox"]').first()).toBeVisible({ timeout: 10_000 });

  await page.screenshot({ path: testInfo.outputPath('experiments.png') });
  await page.screenshot({ path: 'test-results/experiments.png' });

  // Ticking a run overlays its returns (its metrics come back with runs/get).
  await page.getByTestId('runs-list').locator('li input[type="checkbox"]').first().check();
  await expect.poll(() => count(page, 'runs-returns-chart', 'data-points'), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  await expect.poll(() => count(page, 'runs-loss-chart', 'data-points'), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  await page.getByTestId('runs-list').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('experiments-runs.png') });

  // Needs the engine to turn predicted observations into body poses (Env.posesFor) for the task.
  expect(await count(page, 'ghost-count'), 'plan/ghost events carried poses to draw').toBeGreaterThan(0);
  expect(consoleErrors).toEqual([]);
});

test('runs a tiny probabilistic ensemble and shows its uncertainty', async ({ page }, testInfo) => {
  // A tall window shows the 3D view and the Model uncertainty panel together in the screenshot.
  await page.setViewportSize({ width: 1280, height: 1500 });
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId('nav-experiments').click();
  await expect(page.getByTestId('preset-select').locator('option[value="pets-cartpole"]')).toHaveCount(1, { timeout: 10_000 });
  await expect(page.getByTestId('preset-select').locator('option[value="pets-cartpole"]')).toHaveText('PETS · cart-pole');

  // The tiny preset made an ensemble in the form: 2 probabilistic members, 2 particles, one MPC episode.
  await page.getByTestId('preset-select').selectOption('tiny-pendulum');
  await page.getByTestId('spec-episodes').fill('1');
  await page.getByTestId('section-model').locator('summary').click();
  await page.getByTestId('spec-model-members').fill('2');
  await page.getByTestId('spec-model-probabilistic').check();
  await expect(page.getByTestId('section-model').locator('summary')).toContainText('PE ×2');
  await page.getByTestId('section-uncertainty').locator('summary').click();
  await page.getByTestId('spec-uncertainty-particles').fill('2');
  await expect(page.getByTestId('section-uncertainty').locator('summary')).toContainText('P 2 · TS∞ · expected');
  await expect(page.getByTestId('preset-note')).toContainText('edited');
  await page.getByTestId('experiment-run').click();

  // After the first fit: every member's held-out predictions in the scatter, calibration numbers.
  await expect.poll(() => count(page, 'scatter-chart', 'data-points'), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('uncertainty-model')).toContainText('2 elite members');
  await expect(page.getByTestId('calibration-summary')).toContainText('within 1σ');
  expect(await page.getByTestId('band-charts').locator('figure').count()).toBe(3);
  // Planning: one ghost per member around the real rollout, and the planner's progress.
  await expect.poll(() => count(page, 'ghost-count'), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('ghost-members')).toContainText('2 ensemble members');
  await expect(page.getByTestId('plan-progress')).toContainText(/CEM \d\/2 · elite return/);

  // Stop there (the page settles) and keep the picture: ghosts, calibration, scatter and bands.
  // The short run may end by itself first; a disabled Cancel is then left alone.
  const cancel = page.getByTestId('experiment-cancel');
  if (await cancel.isEnabled()) await cancel.click({ timeout: 5_000 }).catch(() => undefined);
  await expect(page.getByTestId('experiment-state')).toHaveText(/cancelled|done/, { timeout: 30_000 });
  expect(await count(page, 'ghost-count')).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('uncertainty.png') });
  await page.screenshot({ path: 'test-results/uncertainty.png' });
  expect(consoleErrors).toEqual([]);
});
