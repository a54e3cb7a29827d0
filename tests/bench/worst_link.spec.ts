import { test, expect } from '@playwright/test';
import { encodeState } from '../e2e/fixtures';

// The bounded-loads link that once froze the page for 30 s: 63 down servers of weight 20 and
// one up server whose 207 virtual nodes are all pinned at 0, 100 000 uniform keys. Measured
// from the start of navigation to the ring drawn with U's 100,000 keys, five fresh loads.
// The goal is 2 s; the figures are printed, with the goal checked on the median.
test('opening the worst bounded-loads link', async ({ page }) => {
  const servers = Array.from({ length: 63 }, (_, i) => ({ id: i, label: String(i), weight: 20, down: true }));
  const pins = Array.from({ length: 207 }, (_, i) => [i, 0] as [number, number]);
  const link = encodeState({ algorithm: 6, kind: 3, vnodes: 207, count: 100_000, servers: [...servers, { id: 63, label: 'U', weight: 1, pins }] });
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    await page.goto('about:blank');
    await page.goto('#' + link);
    const rows = page.getByRole('table', { name: 'Servers' }).locator('tbody tr');
    await expect(rows.filter({ hasText: 'U' }).getByTestId('count')).toHaveText('100,000', { timeout: 30_000 });
    await expect(page.locator('path.arc').first()).toBeAttached();
    times.push(await page.evaluate(() => performance.now()));
  }
  times.sort((a, b) => a - b);
  const median = times[2];
  console.log(`worst bounded-loads link, navigation to ring drawn: median ${median.toFixed(0)} ms, fastest ${times[0].toFixed(0)} ms, slowest ${times[4].toFixed(0)} ms (goal 2,000 ms)`);
  expect(median).toBeLessThan(2_000);
});
