import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures';

test.describe('the first ring', () => {
  test('draws every server in its own colour with a legend of key counts', async ({ ring }) => {
    await ring.open();

    // Seed 000's opening state: A, B and C, 1000 keys.
    await expect(ring.legendRows).toHaveCount(3);
    await expect(ring.summary).toHaveText('3 servers × 100 virtual nodes · 1000 keys · xxh3');

    const counts = await ring.legendCounts();
    expect([...counts.keys()]).toEqual(['A', 'B', 'C']);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(1000);
    for (const [label, n] of counts) {
      // With 100 virtual nodes the spread is about 10 %: each server is near a third.
      expect(n, `keys on ${label}`).toBeGreaterThan(250);
      expect(n, `keys on ${label}`).toBeLessThan(420);
    }

    // Arcs: many runs (100 vnodes each), and exactly one stroke colour per server.
    expect(await ring.arcs.count()).toBeGreaterThan(30);
    const arcColours = new Set(
      await ring.arcs.evaluateAll((els) => els.map((e) => e.getAttribute('stroke'))),
    );
    expect(arcColours.size).toBe(3);
    const arcServers = new Set(
      await ring.arcs.evaluateAll((els) => els.map((e) => e.getAttribute('data-server'))),
    );
    expect(arcServers).toEqual(new Set(['A', 'B', 'C']));

    // The legend swatches use the arcs' colours.
    const swatches = await ring.legendRows
      .locator('.swatch')
      .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    expect(new Set(swatches).size).toBe(3);

    // The key dots agree with the legend: each server's dot path carries its count.
    const dotCounts = await ring.keyPaths.evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('data-keys'))),
    );
    expect(dotCounts).toEqual([...counts.values()]);
    // One dot (a zero-length segment) per key.
    const dots = await ring.keyPaths.evaluateAll((els) =>
      els.reduce((n, e) => n + (e.getAttribute('d')?.match(/h0/g)?.length ?? 0), 0),
    );
    expect(dots).toBe(1000);

    // A tick per virtual node: 3 servers × 100.
    const ticks = await ring.tickPaths.evaluateAll((els) =>
      els.reduce((n, e) => n + (e.getAttribute('d')?.match(/M/g)?.length ?? 0), 0),
    );
    expect(ticks).toBe(300);
  });

  test('the ownership shares add up to the whole ring', async ({ ring }) => {
    await ring.open();
    const shares = await ring.legendRows
      .locator('.share')
      .evaluateAll((els) => els.map((e) => parseFloat(e.textContent ?? 'NaN')));
    expect(shares).toHaveLength(3);
    const sum = shares.reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(99.8);
    expect(sum).toBeLessThan(100.2);
  });

  test('screenshot for the README', async ({ ring, page }, info) => {
    await page.setViewportSize({ width: 1280, height: 820 });
    await ring.open();
    const file = info.outputPath('ring.png');
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    if (process.env.HASHHALO_UPDATE_DOCS) {
      const docs = path.resolve(path.dirname(info.config.configFile!), '../docs/screenshots/ring.png');
      fs.copyFileSync(file, docs);
    }
  });
});
