import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { test, expect, wasmFetches, CLI } from './fixtures';

test.describe('the release build loads in parts', () => {
  test('a slide fetches the first load only: no panels, no Share dialog', async ({ ring, page }) => {
    const fetched = wasmFetches(page);
    await page.goto('#scenario=add-server&step=2&embed=1&chrome=minimal');
    await expect(ring.moved).toContainText('Adding D moved');
    await page.waitForLoadState('networkidle');
    expect(fetched).toEqual(['hashhalo-web_bg.wasm']);
  });

  test('the full lab fetches its panels after the first view, and the Share dialog on the first press only', async ({ ring, page }) => {
    const fetched = wasmFetches(page);
    await ring.open('#scenario=add-server&step=2');
    expect(fetched[0]).toBe('hashhalo-web_bg.wasm');
    await expect.poll(() => fetched.some((n) => n.startsWith('split_side_panel_'))).toBe(true);
    await page.waitForLoadState('networkidle');
    expect(fetched.some((n) => n.startsWith('split_share_dialog_'))).toBe(false);

    const share = page.getByRole('button', { name: 'Share', exact: true });
    await share.click();
    await expect(page.locator('textarea.share-link')).toBeVisible();
    expect(fetched.filter((n) => n.startsWith('split_share_dialog_'))).toHaveLength(1);
    const size = page.getByRole('combobox', { name: 'Frame size' });
    await size.selectOption({ label: '800 × 600' });
    await page.getByRole('button', { name: 'Close' }).click();
    await expect(page.locator('textarea.share-link')).toBeHidden();
    // Opened again: the same dialog, already loaded, keeping the choices made in it.
    await share.click();
    await expect(page.locator('textarea.share-link')).toBeVisible();
    await expect(page.locator('.share-preview iframe')).toHaveAttribute('width', '800');
    expect(fetched.filter((n) => n.startsWith('split_share_dialog_'))).toHaveLength(1);
  });
});

test.describe('when a chunk cannot be fetched', () => {
  // The server refuses the worker's client; the loader says so in the console.
  test.use({
    allowedProblems: /^HTTP 503 for .*split_worker_client\.wasm$|^console error: (.*(instantiateStreaming|status code)|Failed to load resource: .* 503)/i,
  });

  test('the page says so where the work was asked for, keeps working, and tries again next time', async ({ ring, page }, info) => {
    let refuse = true;
    await page.route('**/split_worker_client.wasm', (route) => (refuse ? route.fulfill({ status: 503, body: 'down' }) : route.fallback()));
    await ring.open();
    const file = info.outputPath('weights.json');
    fs.writeFileSync(file, execFileSync(CLI, ['scenario', 'show', 'weights'], { encoding: 'utf8' }));
    const input = page.getByLabel('Open a scenario file');
    await input.setInputFiles(file);
    await expect(page.getByTestId('scenario-error')).toContainText("the page's worker could not be loaded");
    await expect(page.getByTestId('player')).toHaveCount(0);
    // The lab still works: a server is added as ever.
    await page.getByRole('textbox', { name: 'New server name' }).fill('D');
    await page.getByRole('button', { name: 'Add server' }).click();
    await expect(ring.legendRows).toHaveCount(4);
    // The failure was not kept: once the server answers, the same file is read.
    refuse = false;
    await input.setInputFiles([]);
    await input.setInputFiles(file);
    await expect(page.getByTestId('player')).toBeVisible();
    await expect(page.getByTestId('scenario-error')).not.toContainText('could not be loaded');
  });
});
