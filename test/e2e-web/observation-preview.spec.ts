import { expect, test } from '@playwright/test';

// The Environments view shows, beside the 3D view, the frame an image-based agent observes: the
// engine's rasterizer output for the task's pixel camera (here the point mass, 40×40, goal hidden).
test('shows the agent’s observation frame for a task with an image variant', async ({ page }, testInfo) => {
  test.setTimeout(120_000); // the engine measures its backends at first start
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId('task-select').selectOption('point-mass');
  await page.getByTestId('policy-select').selectOption('random');
  await page.getByTestId('run-button').click();

  const preview = page.getByTestId('observation-preview');
  await expect(preview).toBeVisible({ timeout: 20_000 });
  await expect(preview).toContainText('40×40');
  const canvas = preview.locator('canvas');
  await expect(canvas).toHaveJSProperty('width', 40);
  // The frame is painted (dark obstacles on a light floor) and changes as the agent moves.
  const read = () =>
    canvas.evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data).join(','));
  const first = await read();
  expect(new Set(first.split(',')).size).toBeGreaterThan(3);
  let changed = false;
  for (let i = 0; i < 20 && !changed; i++) {
    await page.waitForTimeout(500);
    changed = (await read()) !== first;
  }
  expect(changed, 'the observation frame follows the moving agent').toBe(true);
  await page.screenshot({ path: testInfo.outputPath('observation-preview.png') });

  // A task without an image variant shows none.
  await page.getByTestId('task-select').selectOption('halfcheetah');
  await page.getByTestId('run-button').click();
  await expect(preview).toHaveCount(0, { timeout: 10_000 });
  expect(consoleErrors).toEqual([]);
});
