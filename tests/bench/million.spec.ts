import { test, expect } from '@playwright/test';
import { encodeState, watchLongTasks } from '../e2e/fixtures';

// A million keys, phase by phase. In the worker (a worker of the page's own, timed from the
// request to its answer): making 1 000 000 generated keys, and assigning them by rendezvous
// hashing. On the page: from the key slider set to 1 000 000 to the keys drawn, and adding a
// server, each with the longest main-thread task the browser saw. Printed, not asserted.
const servers = Array.from({ length: 20 }, (_, i) => ({ id: i, label: `s${i}`, weight: 1 }));

test('a million keys, phase by phase', async ({ page }) => {
  test.setTimeout(180_000);
  await watchLongTasks(page);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto('#' + encodeState({ vnodes: 160, count: 1000, servers }));
  await expect(page.getByTestId('ring-note')).toHaveText('1,000 keys');

  // The worker's phases, asked directly.
  const lab = encodeState({ vnodes: 160, count: 1_000_000, servers });
  const rendezvous = encodeState({ algorithm: 3, vnodes: 160, count: 1_000_000, servers });
  const worker = await page.evaluate(
    async ({ lab, rendezvous }) => {
      const w = new Worker('hashhalo-worker_loader.js', { type: 'module' });
      const answers: ((d: any) => void)[] = [];
      let ready: () => void;
      const isReady = new Promise<void>((r) => (ready = r));
      w.onmessage = (e) => {
        if (e.data === 'ready') return ready();
        if (e.data.progress !== undefined) return;
        answers.shift()!(e.data);
      };
      await isReady;
      const ask = (message: object) =>
        new Promise<any>((r) => {
          answers.push(r);
          w.postMessage(message);
        });
      let t = performance.now();
      const made = await ask({ id: 1, op: 'keys', text: '', lab });
      const keys = performance.now() - t;
      // The positions of the keys just made, from the key set's bytes (see KeySet::to_bytes).
      const bytes: Uint8Array = made.data.keys;
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const start = bytes.indexOf(10) + 1;
      const n = view.getUint32(start, true);
      const text = view.getUint32(start + 4, true);
      const at = start + 8 + text + 4 * n;
      const positions = bytes.slice(at, at + 8 * n);
      t = performance.now();
      const assigned = await ask({ id: 2, op: 'assign', text: '', lab: rendezvous, data: { positions } });
      const assign = performance.now() - t;
      w.terminate();
      return { keys, assign, n, bytes: bytes.length, owners: assigned.data.owners.length / 4 };
    },
    { lab, rendezvous },
  );
  expect(worker.n).toBe(1_000_000);
  expect(worker.owners).toBe(1_000_000);

  // The page: the slider to 1 000 000 keys, then a server added.
  const longest = (since: number, until: number) =>
    page.evaluate(
      ({ since, until }) =>
        Math.max(0, ...(window as any).longTasks.filter((t: any) => t.start >= since && t.start < until).map((t: any) => t.duration)),
      { since, until },
    );
  const now = () => page.evaluate(() => performance.now());
  const t0 = await now();
  await page.getByLabel('Key count').evaluate((slider: HTMLInputElement) => {
    slider.value = slider.max;
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    slider.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(page.getByTestId('ring-note')).toHaveText('1,000,000 keys, shown as density', { timeout: 120_000 });
  const t1 = await now();
  await page.waitForTimeout(1000);
  const t2 = await now();
  await page.getByLabel('New server name').fill('extra');
  await page.getByRole('button', { name: 'Add server' }).click();
  await expect(page.getByTestId('moved-summary')).toContainText('Adding extra moved', { timeout: 60_000 });
  await page.waitForTimeout(500);
  const t3 = await now();
  const made = await longest(t0, t2);
  const added = await longest(t2, t3);
  console.log(
    `a million keys in the worker: making 1,000,000 keys ${worker.keys.toFixed(0)} ms ` +
      `(${(worker.bytes / 1e6).toFixed(1)} MB to the page), assigning them by rendezvous over 20 servers ${worker.assign.toFixed(0)} ms`,
  );
  console.log(
    `a million keys on the page: slider to drawn ${(t1 - t0).toFixed(0)} ms, longest main-thread task ${made.toFixed(0)} ms; ` +
      `adding a server: longest main-thread task ${added.toFixed(0)} ms`,
  );
});
