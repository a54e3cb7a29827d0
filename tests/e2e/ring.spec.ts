import fs from 'node:fs';
import path from 'node:path';
import { test, expect, inspect } from './fixtures';

test.describe('the ring', () => {
  test('draws every server in its colour, with counts the core agrees with', async ({ ring, page }) => {
    await ring.open();
    // The original simulation's opening state: A, B and C, 1000 keys.
    await expect(ring.legendRows).toHaveCount(3);
    await expect(ring.summary).toHaveText('3 servers · ring · 100 virtual nodes · 1,000 keys · hash xxh3');
    const url = await ring.settledUrl();
    const report = await ring.expectCountsMatchCore(url);
    expect(report.servers.reduce((n, s) => n + s.keys, 0)).toBe(1000);

    // One arc path, one tick path and one key path per server, each in its own colour.
    await expect(ring.arcs).toHaveCount(3);
    const colours = new Set(await ring.arcs.evaluateAll((els) => els.map((e) => e.getAttribute('stroke'))));
    expect(colours.size).toBe(3);
    const arcsPerServer = await ring.arcs.evaluateAll((els) => els.map((e) => (e.getAttribute('d') ?? '').split('M').length - 1));
    for (const n of arcsPerServer) expect(n).toBeGreaterThan(30);
    const dots = await ring.keyPaths.evaluateAll((els) => els.reduce((n, e) => n + (e.getAttribute('d')?.match(/h0/g)?.length ?? 0), 0));
    expect(dots).toBe(1000);
    const ticks = await ring.tickPaths.evaluateAll((els) => els.reduce((n, e) => n + (e.getAttribute('d')?.match(/M/g)?.length ?? 0), 0));
    expect(ticks).toBe(300);
    // Handles carry the labels, and labels that would collide sit in different lanes.
    await expect(page.locator('.server-handle')).toHaveCount(3);
  });

  test('past 3000 keys, keys are drawn as a labelled density band', async ({ ring, page }) => {
    await ring.open();
    await page.getByLabel('Key count').fill('360');
    await expect(page.getByTestId('keys-value')).toHaveText('39,811');
    await expect(page.getByTestId('ring-note')).toHaveText('39,811 keys, shown as density');
    const url = await ring.settledUrl();
    await ring.expectCountsMatchCore(url);
  });

  test('screenshots for the README', async ({ ring, page }, info) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await ring.open();
    const shots: string[] = [];
    const shoot = async (name: string) => {
      await page.evaluate(() => window.scrollTo(0, 0));
      const file = info.outputPath(name);
      await page.screenshot({ path: file });
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      shots.push(file);
    };
    await page.getByLabel('New server name').fill('D');
    await page.getByRole('button', { name: 'Add server' }).click();
    await expect(ring.moved).toContainText('all of them to D.');
    await page.getByLabel('Replication factor').fill('2');
    await page.getByLabel('Key to probe').fill('user:42');
    await page.getByLabel('Algorithm').selectOption('maglev');
    await expect(page.getByTestId('ring-note')).toContainText('no ring');
    await page.waitForTimeout(700); // the keys have arrived
    await shoot('maglev.png');
    if (process.env.HASHHALO_UPDATE_DOCS) {
      const docs = path.resolve(path.dirname(info.config.configFile!), '../docs/screenshots');
      for (const file of shots) fs.copyFileSync(file, path.join(docs, path.basename(file)));
    }
    expect(inspect(page.url()).algorithm).toBe('maglev');
  });
});
