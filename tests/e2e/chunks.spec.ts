import { test, expect, wasmFetches } from './fixtures';

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
