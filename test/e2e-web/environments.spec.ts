import { expect, test } from '@playwright/test';

// The served workbench in a real Chromium: run the MuJoCo cartpole live and check that pose messages
// arrive and that the 3D canvas actually changes between frames.
test('runs the cartpole live in 3D', async ({ page }, testInfo) => {
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Environments' })).toBeVisible();
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });

  await page.getByTestId('task-select').selectOption('cartpole');
  await page.getByTestId('policy-select').selectOption('random');
  await page.getByTestId('run-button').click();

  // Frames (with body poses) stream in at 20 per second.
  await expect.poll(async () => Number(await page.getByTestId('frame-count').textContent()), { timeout: 20_000 }).toBeGreaterThan(10);
  await expect.poll(async () => Number(await page.getByTestId('step-readout').textContent()), { timeout: 10_000 }).toBeGreaterThan(5);

  // Read the canvas back twice: a moving cart and pole must change pixels.
  const canvas = page.getByTestId('viewport').locator('canvas');
  const first = await canvas.screenshot();
  await page.waitForTimeout(700);
  const second = await canvas.screenshot();
  expect(first.equals(second)).toBe(false);

  await page.screenshot({ path: testInfo.outputPath('cartpole-running.png') });
  await page.screenshot({ path: 'test-results/cartpole-running.png' });

  // Pause stops the stream.
  await page.getByTestId('pause-button').click();
  await page.waitForTimeout(300);
  const pausedAt = Number(await page.getByTestId('step-readout').textContent());
  await page.waitForTimeout(600);
  expect(Number(await page.getByTestId('step-readout').textContent())).toBe(pausedAt);
  expect(consoleErrors).toEqual([]);
});

test('the camera follows the half-cheetah along x', async ({ page }, testInfo) => {
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId('task-select').selectOption('halfcheetah');
  await page.getByTestId('policy-select').selectOption('random');
  await page.getByTestId('run-button').click();
  await expect.poll(async () => Number(await page.getByTestId('step-readout').textContent()), { timeout: 20_000 }).toBeGreaterThan(40);

  // The viewport keeps its orbit target on the torso's x (its container reports where that is).
  const followX = page.getByTestId('viewport').locator('[data-follow-x]');
  await expect(followX).toHaveCount(1);
  const xs = new Set<string>();
  for (let i = 0; i < 5; i++) {
    xs.add((await followX.getAttribute('data-follow-x')) ?? '');
    await page.waitForTimeout(200);
  }
  expect([...xs].every((x) => Number.isFinite(Number(x)) && x !== '')).toBe(true);
  expect(xs.size, 'the target moves with the torso').toBeGreaterThan(1);
  await page.screenshot({ path: testInfo.outputPath('halfcheetah-running.png') });
  await page.screenshot({ path: 'test-results/halfcheetah-running.png' });
  expect(consoleErrors).toEqual([]);
});

test('a reload reconnects to the engine', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId('task-select').selectOption('pendulum');
  await page.getByTestId('run-button').click();
  await expect.poll(async () => Number(await page.getByTestId('frame-count').textContent()), { timeout: 20_000 }).toBeGreaterThan(3);
});
