import { test, expect, inspect, num } from './fixtures';

// The original HashHalo simulation's example flow, by hand: A, B, C with 1000 keys; add D.
test('adding D to A, B and C moves about a quarter of the keys, all to D', async ({ ring, page }) => {
  await ring.open();
  const before = await ring.settledUrl();
  await page.getByLabel('New server name').fill('D');
  await page.getByRole('button', { name: 'Add server' }).click();

  // The keys travel: movers appear while the animation runs.
  await expect(page.locator('path.movers').first()).toBeAttached();

  const after = await ring.settledUrl(before);
  const core = inspect(after, before);
  const moved = core.moved!;
  expect(moved / 1000).toBeGreaterThan(0.18);
  expect(moved / 1000).toBeLessThan(0.32);
  await expect(ring.moved).toHaveText(
    `Adding D moved ${moved} of 1,000 keys (${((moved / 1000) * 100).toFixed(1)} %), all of them to D.`,
  );
  await ring.expectSentenceMatchesCore(after, before);
  await ring.expectCountsMatchCore(after);

  // The matrix: the only moved cells are in D's column, and they add up to the moved keys.
  await page.getByText('From → to, server by server').click();
  const table = page.getByRole('table', { name: /Keys moved/ });
  const header = await table.locator('thead th').allTextContents();
  const dColumn = header.indexOf('D');
  let sum = 0;
  for (const row of await table.locator('tbody tr').all()) {
    const cells = await row.locator('td').allTextContents();
    const rowLabel = await row.locator('th').textContent();
    cells.forEach((text, i) => {
      if (header[i + 1] !== rowLabel && num(text) > 0) expect(i + 1).toBe(dColumn);
      if (i + 1 === dColumn && rowLabel !== 'D') sum += num(text);
    });
  }
  expect(sum).toBe(moved);

  // Bars: D went from 0 to its share.
  const dBar = page.locator('.bar-row[data-server="D"] [data-testid=bar-numbers]');
  const dKeys = core.servers.find((s) => s.label === 'D')!.keys;
  await expect(dBar).toHaveText(`0 → ${dKeys}`);

  // A click on a handle that moves nothing keeps this comparison.
  await ring.handle('A').click();
  await expect(ring.moved).toHaveText(core.headline!);

  // Before/after on demand.
  await page.getByRole('radio', { name: 'Before' }).click();
  await expect(ring.legendRows).toHaveCount(3);
  await expect(page.locator('.centre-title')).toContainText('(before)');
  await page.getByRole('radio', { name: 'After' }).click();
  await expect(ring.legendRows).toHaveCount(4);
  // The same with the keyboard: arrows move within the radio group.
  await page.getByRole('radio', { name: 'After' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('radio', { name: 'Before' })).toBeFocused();
  await expect(ring.legendRows).toHaveCount(3);
  await page.keyboard.press('ArrowRight');
  await expect(ring.legendRows).toHaveCount(4);
});

test('under prefers-reduced-motion the change is instant', async ({ ring, page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await ring.open();
  await page.getByLabel('New server name').fill('D');
  await page.getByRole('button', { name: 'Add server' }).click();
  await expect(ring.moved).toContainText('all of them to D.');
  for (let i = 0; i < 6; i++) {
    await expect(page.locator('path.movers')).toHaveCount(0);
    await page.waitForTimeout(50);
  }
});
