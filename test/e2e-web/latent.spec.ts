import { expect, test } from '@playwright/test';

/** Pixels of a canvas drawn by WebGL (preserveDrawingBuffer is on) that are not the background. */
async function cloudPixels(page: import('@playwright/test').Page): Promise<number> {
  return page.getByTestId('latent-cloud').locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0);
    const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
    // Points are viridis colours: count pixels clearly greener or yellower than the dark blue-grey scene.
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 1] > 110 && data[i + 1] > data[i + 2] - 10) n++;
    return n;
  });
}

// The Latent space view in a real Chromium: collect a few frames of the point mass, train a tiny E2C
// model, and see its codes drawn as a coloured point cloud, the loss terms and the frame strips.
test('trains a small latent model and draws its codes as a 3-D point cloud', async ({ page }) => {
  test.setTimeout(180_000);
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId('nav-latent').click();
  await expect(page.getByRole('heading', { name: 'Latent space' })).toBeVisible();
  const before = await cloudPixels(page);

  await page.getByTestId('latent-episodes').fill('3');
  await page.getByTestId('latent-steps').fill('20');
  await page.getByTestId('latent-epochs').fill('2');
  await page.getByTestId('latent-run').click();
  await expect(page.getByTestId('latent-progress')).toBeVisible();

  // One chart per E2C loss term, the codes in 3-D, and the strips.
  await expect(page.getByTestId('latent-loss-consistency')).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('latent-colour-by')).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('frame-strip').locator('canvas')).toHaveCount(30);
  await expect.poll(() => cloudPixels(page), { timeout: 15_000 }).toBeGreaterThan(before + 50);

  // Colouring by another state variable repaints the points.
  await page.getByTestId('latent-colour-by').selectOption({ index: 1 });
  await page.screenshot({ path: 'test-results/latent.png' });
  expect(consoleErrors).toEqual([]);
});
