import { expect, test, type Page } from '@playwright/test';

/** Canvas pixels (of the picker's frame or heat layer) with alpha > 0 and matching `keep`, as [count, mean column, mean row] in image pixels. */
async function canvasPixels(page: Page, testId: string | null, keep: 'red' | 'opaque'): Promise<[number, number, number]> {
  const canvas = testId ? page.getByTestId(testId) : page.getByTestId('pixel-picker').locator('canvas').first();
  return canvas.evaluate((c: HTMLCanvasElement, mode: string) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let n = 0;
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < c.width * c.height; i++) {
      const [r, g, b, a] = [data[4 * i], data[4 * i + 1], data[4 * i + 2], data[4 * i + 3]];
      const hit = mode === 'red' ? r > 150 && g < 110 && b < 110 : a > 0;
      if (!hit) continue;
      n++;
      sx += i % c.width;
      sy += Math.floor(i / c.width);
    }
    return [n, n ? sx / n : 0, n ? sy / n : 0] as [number, number, number];
  }, keep);
}

/** Clicks image pixel (col, row) of the picker's frame. */
async function clickPixel(page: Page, col: number, row: number, size: number): Promise<void> {
  const box = (await page.getByTestId('pixel-picker').boundingBox())!;
  await page.mouse.click(box.x + ((col + 0.5) / size) * box.width, box.y + ((row + 0.5) / size) * box.height);
}

// The Visual foresight view in a real Chromium: train a tiny video model on random pushes, click a
// designated pixel on the block and a goal pixel, Run, and see the predicted filmstrip, the heat
// overlay of the designated pixel's predicted position, the executed frames and the distance chart.
test('designates a pixel and a goal on the frame, plans, and shows the filmstrip and the heat overlay', async ({ page }) => {
  test.setTimeout(90_000);
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId('nav-foresight').click();
  await expect(page.getByRole('heading', { name: 'Visual foresight' })).toBeVisible();

  // The start frame arrives by itself; the block is the red object on it.
  await expect.poll(async () => (await canvasPixels(page, null, 'red'))[0], { timeout: 20_000 }).toBeGreaterThan(5);
  const size = await page.getByTestId('pixel-picker').locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.width);
  const [, bx, by] = await canvasPixels(page, null, 'red');
  await expect(page.getByTestId('foresight-run')).toBeDisabled();

  await page.getByTestId('foresight-train').click();
  await expect(page.getByTestId('foresight-progress')).toBeVisible();
  // Designate while it trains: the block's centre, and a goal 8 px to its left.
  const [col, row] = [Math.round(bx), Math.round(by)];
  await clickPixel(page, col, row, size);
  await clickPixel(page, Math.max(0, col - 8), row, size);
  await expect(page.getByTestId('designated-0')).toBeVisible();
  await expect(page.getByTestId('goal-0')).toBeVisible();
  await expect(page.getByTestId('foresight-loss')).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('foresight-run')).toBeEnabled({ timeout: 45_000 });

  expect((await canvasPixels(page, 'heat-overlay', 'opaque'))[0]).toBe(0);
  await page.getByTestId('foresight-run').click();
  // The best plan's predicted frames, the designated pixel's map over the frame, the executed frames and distances.
  await expect(page.getByTestId('foresight-predicted').getByTestId('frame-strip').locator('canvas')).toHaveCount(8, { timeout: 30_000 });
  await expect.poll(async () => (await canvasPixels(page, 'heat-overlay', 'opaque'))[0], { timeout: 10_000 }).toBeGreaterThan(0);
  // The strip's second row is the same predicted frames with the designated pixel's distribution painted over them.
  const tinted = await page.getByTestId('foresight-predicted').evaluate((el) => {
    const [a, b] = ['0', '1'].map((row) => el.querySelector<HTMLCanvasElement>(`canvas[data-row="${row}"][data-col="0"]`)!);
    const [da, db] = [a, b].map((c) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
    let n = 0;
    for (let i = 0; i < da.length; i++) if (da[i] !== db[i]) n++;
    return n;
  });
  expect(tinted).toBeGreaterThan(0);
  await expect(page.getByTestId('foresight-executed').getByTestId('frame-strip').locator('canvas').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('foresight-progress')).toHaveAttribute('data-done', '6', { timeout: 30_000 });
  await expect(page.getByTestId('foresight-distance')).toHaveAttribute('data-points', '6');
  // Later predicted steps move the heat (the slider picks the step it shows).
  await page.getByTestId('foresight-heat-step').fill('4');
  await expect.poll(async () => (await canvasPixels(page, 'heat-overlay', 'opaque'))[0]).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/foresight.png' });
  expect(consoleErrors).toEqual([]);
});
