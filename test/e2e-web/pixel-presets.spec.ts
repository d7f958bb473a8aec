import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

/**
 * The pixel methods' presets in a real Chromium against the served engine: each view lists the
 * files of its presets folder (read here from disk, since their contents change), choosing one fills
 * the form with the file's values, and a preset with a tiny override trains from the UI.
 */

interface Json {
  [key: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the preset files, as written
}
function presetFiles(folder: string): Array<{ id: string; spec: Json }> {
  const dir = join('resources', 'presets', folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ id: f.replace(/\.json$/, ''), spec: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Json }));
}

const valueOf = (page: Page, testId: string) => page.getByTestId(testId).inputValue();

async function open(page: Page, nav: string, heading: string): Promise<string[]> {
  const consoleErrors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  await page.goto('/');
  await expect(page.getByTestId('backend-readout')).toContainText(/wasm|cpu|tensorflow/, { timeout: 30_000 });
  await page.getByTestId(nav).click();
  await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  return consoleErrors;
}

test('Latent space: the presets fill the form, and an edited preset trains', async ({ page }) => {
  test.setTimeout(150_000);
  const consoleErrors = await open(page, 'nav-latent', 'Latent space');
  const files = presetFiles('latent');
  const select = page.getByTestId('latent-preset');
  // Every file of resources/presets/latent is offered (after the "none" entry).
  await expect(select.locator('option')).toHaveCount(files.length + 1, { timeout: 15_000 });
  await expect(page.getByTestId('latent-preset-error')).toHaveCount(0);

  for (const { id, spec } of files) {
    await select.selectOption(id);
    expect(await valueOf(page, 'latent-task')).toBe(spec.task);
    expect(await valueOf(page, 'latent-kind')).toBe(spec.model.kind);
    expect(await valueOf(page, 'latent-dim')).toBe(String(spec.model.latentDim));
    expect(await valueOf(page, 'latent-episodes')).toBe(String(spec.collect.episodes));
    if (spec.collect.steps) expect(await valueOf(page, 'latent-steps')).toBe(String(spec.collect.steps));
    expect(await valueOf(page, 'latent-epochs')).toBe(String(spec.fit.epochs));
    expect(await valueOf(page, 'latent-control-episodes')).toBe(String(spec.plan?.episodes ?? 0));
    const note = page.getByTestId('latent-preset-note');
    await expect(note).toContainText(`latent dim ${spec.model.latentDim}`);
    await expect(note).toContainText(`${spec.fit.epochs} epoch`);
    await expect(note).toContainText(`${id}.json`);
    await expect(note).not.toContainText('edited');
  }

  // The E2C preset with a tiny override: its architecture and options, a few frames and one epoch.
  const e2c = files.find((f) => f.spec.model.kind === 'e2c');
  test.skip(!e2c, 'no E2C preset shipped');
  await select.selectOption(e2c!.id);
  await page.screenshot({ path: 'test-results/pixel-presets-latent.png' });
  await page.getByTestId('latent-episodes').fill('2');
  await page.getByTestId('latent-steps').fill('10');
  await page.getByTestId('latent-epochs').fill('1');
  await page.getByTestId('latent-control-episodes').fill('0');
  await expect(page.getByTestId('latent-preset-note')).toContainText('edited');
  await page.getByTestId('latent-run').click();
  await expect(page.getByTestId('latent-progress')).toBeVisible();
  // E2C's loss terms, one epoch, then the codes.
  await expect(page.getByTestId('latent-loss-consistency')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('latent-colour-by')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('latent-progress')).toHaveClass(/\bdone\b/, { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/pixel-presets-latent-trained.png' });
  expect(consoleErrors).toEqual([]);
});

test('Visual foresight: the presets fill both forms, and an edited preset trains with its MPC rounds', async ({ page }) => {
  test.setTimeout(360_000);
  const consoleErrors = await open(page, 'nav-foresight', 'Visual foresight');
  const files = presetFiles('foresight');
  const select = page.getByTestId('foresight-preset');
  await expect(select.locator('option')).toHaveCount(files.length + 1, { timeout: 15_000 });
  await expect(page.getByTestId('foresight-preset-error')).toHaveCount(0);

  for (const { id, spec } of files) {
    await select.selectOption(id);
    expect(await valueOf(page, 'foresight-size')).toBe(String(spec.imageSize ?? 64));
    expect(await valueOf(page, 'foresight-episodes')).toBe(String(spec.train.collect.episodes));
    expect(await valueOf(page, 'foresight-steps')).toBe(String(spec.train.collect.steps));
    expect(await valueOf(page, 'foresight-train-steps')).toBe(String(spec.train.fit.steps));
    expect(await valueOf(page, 'foresight-seed')).toBe(String(spec.train.collect.seed));
    expect(await valueOf(page, 'foresight-population')).toBe(String(spec.planning.population));
    expect(await valueOf(page, 'foresight-iterations')).toBe(String(spec.planning.iterations));
    expect(await valueOf(page, 'foresight-horizon')).toBe(String(spec.planning.horizon));
    expect(await valueOf(page, 'foresight-plan-steps')).toBe(String(spec.evaluate.steps));
    const note = page.getByTestId('foresight-preset-note');
    await expect(note).toContainText(`CEM ${spec.planning.population}×${spec.planning.iterations}`);
    await expect(note).toContainText(`${id}.json`);
  }
  // The start frame follows the preset's frame size.
  const size = Number(await valueOf(page, 'foresight-size'));
  await expect.poll(() => page.getByTestId('pixel-picker').locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.width), { timeout: 20_000 }).toBe(size);
  await select.selectOption(files[0].id);
  await expect.poll(() => page.getByTestId('pixel-picker').locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.width), { timeout: 20_000 }).toBe(files[0].spec.imageSize ?? 64);
  await page.screenshot({ path: 'test-results/pixel-presets-foresight.png' });
  // The first preset with a tiny override trains with the rest of its train block (model, batch, horizon).
  const { spec } = files[0];
  await select.selectOption(files[0].id);
  const frames = spec.train.model?.context ?? 2;
  await page.getByTestId('foresight-episodes').fill('3');
  await page.getByTestId('foresight-steps').fill(String(frames + (spec.train.fit.horizon ?? 10) + 2));
  await page.getByTestId('foresight-train-steps').fill('3');
  await expect(page.getByTestId('foresight-preset-note')).toContainText('edited');
  await page.getByTestId('foresight-train').click();
  await expect(page.getByTestId('foresight-progress')).toBeVisible();
  await expect(page.getByTestId('foresight-loss')).toBeVisible({ timeout: 60_000 });
  // The preset's rounds run too, scaled to one planner episode each (3 of the preset's random episodes).
  const rounds = spec.train.mpcRounds;
  if (rounds) await expect(page.getByTestId('foresight-progress')).toContainText(`round ${rounds.rounds} of ${rounds.rounds}`, { timeout: 240_000 });
  await expect(page.getByTestId('foresight-progress')).toHaveClass(/\bdone\b/, { timeout: 240_000 });
  await page.screenshot({ path: 'test-results/pixel-presets-foresight-trained.png' });
  // "None" goes back to the view's small defaults.
  await select.selectOption('');
  await expect(page.getByTestId('foresight-preset-note')).toHaveCount(0);
  expect(Number(await valueOf(page, 'foresight-train-steps'))).toBeLessThan(files[0].spec.train.fit.steps);
  expect(consoleErrors).toEqual([]);
});
