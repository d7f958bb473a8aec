import { expect, test } from '@playwright/test';

// The compute backend in the status bar: the engine measured its backends at start and shows what it
// chose on which device; the settings panel switches the engine's real backend and back.
test('shows the backend and device, and switches the backend from the settings panel', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow|webgpu/, { timeout: 30_000 });
  await expect(page.getByTestId('backend-device')).not.toBeEmpty();

  await page.getByTestId('backend-button').click();
  const panel = page.getByTestId('backend-settings');
  await expect(panel).toBeVisible();
  // wasm always loads here, so it has a measured time (and a speed bar).
  await expect(panel.locator('.option', { hasText: 'WebAssembly' })).toContainText(/\d+(\.\d+)? ms/);
  await page.screenshot({ path: testInfo.outputPath('backend-settings.png') });

  await page.getByTestId('backend-option-cpu').check();
  await page.getByTestId('backend-apply').click();
  await expect(page.getByTestId('backend-readout')).toHaveText('cpu', { timeout: 30_000 });
  await expect(page.getByTestId('backend-device')).toHaveText('JavaScript (1 thread)');
  await expect(page.getByTestId('backend-now')).toContainText('your setting');

  // Back to automatic (leaves the engine as the other tests expect it).
  await page.getByTestId('backend-option-auto').check();
  await page.getByTestId('backend-apply').click();
  await expect(page.getByTestId('backend-readout')).not.toHaveText('cpu', { timeout: 30_000 });
  await expect(page.getByTestId('backend-now')).toContainText(/measured fastest/);
});
