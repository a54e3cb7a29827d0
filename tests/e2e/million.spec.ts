import { test, expect, encodeState, inspect, num } from './fixtures';
import type { Page } from '@playwright/test';

// A million keys: made in the page's worker (past 100 000 keys), drawn as the density band,
// and assigned on the page by the ring's merge or in the worker by the algorithms that route
// key by key. How long the page's own thread is busy meanwhile is measured by the benchmark
// (tests/bench/million.spec.ts), not asserted here: at a million keys it is not yet within the
// 50 ms the smaller labs keep to.

const servers = Array.from({ length: 20 }, (_, i) => ({ id: i, label: `s${i}`, weight: 1 }));

/** The sum of the legend's key counts, read with plain DOM calls. */
function legendTotal(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=count]')].reduce((n, e) => n + Number((e.textContent ?? '').replace(/,/g, '')), 0),
  );
}

test.describe('a million keys', () => {
  test.setTimeout(120_000);
  test('the key slider goes to 1,000,000 keys, made in the worker, and a server added moves the CLI\'s keys', async ({ page, ring }) => {
    const start = encodeState({ vnodes: 160, count: 1000, servers });
    await ring.open('#' + start);
    const wait = (f: string, arg?: unknown) =>
      page.waitForFunction(new Function('arg', f) as (arg: unknown) => boolean, arg, { polling: 100, timeout: 60_000 });
    // The key slider at its end: 1,000,000 keys.
    await page.evaluate(() => {
      const slider = document.querySelector('input[aria-label="Key count"]') as HTMLInputElement;
      slider.value = slider.max;
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await wait(`return document.querySelector('[data-testid=ring-note]')?.textContent === '1,000,000 keys, shown as density'`);
    await wait(`return document.querySelector('[data-testid=offload]')?.classList.contains('hidden')`);
    const total = await legendTotal(page);
    // A server added, by the form a person uses.
    await page.evaluate(() => {
      const name = document.querySelector('input[aria-label="New server name"]') as HTMLInputElement;
      name.value = 'extra';
      name.dispatchEvent(new Event('input', { bubbles: true }));
      (document.querySelector('form.add-server button[type=submit]') as HTMLButtonElement).click();
    });
    await wait(`return document.querySelectorAll('[data-testid=count]').length === 21`);
    await wait(`return /^Adding extra moved [0-9,]+ of 1,000,000 keys/.test(document.querySelector('[data-testid=moved-summary]')?.textContent ?? '')`);
    expect(total).toBe(1_000_000);
    await expect(ring.svg.locator('path.keys').first()).toBeAttached();
    expect(await legendTotal(page)).toBe(1_000_000);
    // What moved is what the core computes natively for the same two labs.
    const before = encodeState({ vnodes: 160, count: 1_000_000, servers });
    const after = encodeState({ vnodes: 160, count: 1_000_000, servers: [...servers, { id: 20, label: 'extra', weight: 1 }] });
    const report = inspect(after, before);
    await expect(ring.moved).toContainText(`Adding extra moved ${report.moved!.toLocaleString('en-US')} of 1,000,000 keys`);
    expect((await ring.legendRows.getByTestId('count').allTextContents()).map(num)).toEqual(report.servers.map((s) => s.keys));
  });

  test('rendezvous over 1,000,000 keys is assigned in the worker, as the CLI assigns it', async ({ page, ring }) => {
    const before = encodeState({ algorithm: 3, vnodes: 160, count: 1_000_000, servers: servers.slice(0, 5) });
    const after = encodeState({ algorithm: 3, vnodes: 160, count: 1_000_000, servers: servers.slice(0, 6) });
    await ring.open('#' + before);
    await expect(ring.page.getByTestId('ring-note')).toContainText('1,000,000 keys, shown as density', { timeout: 60_000 });
    await expect(page.getByTestId('offload')).toBeHidden({ timeout: 60_000 });
    const counts = async () => (await ring.legendRows.getByTestId('count').allTextContents()).map(num);
    expect(await counts()).toEqual(inspect(before).servers.map((s) => s.keys));
    // Another server, as the link would have it: the worker assigns again and the movement
    // is the CLI's.
    await page.getByLabel('New server name').fill('s5');
    await page.getByRole('button', { name: 'Add server' }).click();
    await expect(page.getByTestId('offload')).toBeHidden({ timeout: 60_000 });
    await expect(ring.legendRows).toHaveCount(6);
    const report = inspect(after, before);
    await expect.poll(counts, { timeout: 60_000 }).toEqual(report.servers.map((s) => s.keys));
    await expect(ring.moved).toContainText(`Adding s5 moved ${report.moved!.toLocaleString('en-US')} of 1,000,000 keys`);
  });

  test('Cancel while the worker makes the keys leaves the lab as it was', async ({ page, ring }) => {
    await ring.open('#' + encodeState({ vnodes: 160, count: 1000, servers }));
    await page.getByLabel('Key count').evaluate((slider: HTMLInputElement) => {
      slider.value = slider.max;
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await expect(page.getByTestId('offload')).toBeVisible();
    await expect(page.getByTestId('offload')).toContainText('Making 1,000,000 keys');
    await page.getByTestId('offload').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('offload')).toBeHidden();
    await expect(page.getByTestId('keys-value')).toHaveText('1,000');
    await expect(ring.page.getByTestId('ring-note')).not.toContainText('1,000,000');
    // Ending the job is not an error to report.
    await expect(page.getByTestId('notices')).toHaveCount(0);
  });

  test('Cancel on a link opened with 1,000,000 keys gives the most keys the page makes itself', async ({ page, ring }) => {
    await ring.open('#' + encodeState({ vnodes: 160, count: 1_000_000, servers }));
    await page.getByTestId('offload').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('offload')).toBeHidden();
    await expect(page.getByTestId('keys-value')).toHaveText('100,000');
    await expect(page.getByTestId('ring-note')).toHaveText('100,000 keys, shown as density');
    expect(await legendTotal(page)).toBe(100_000);
  });

  test('a change while the worker assigns replaces its job, and the last change is what shows', async ({ page, ring }) => {
    const at = (n: number) => encodeState({ algorithm: 3, vnodes: 160, count: 1_000_000, servers: servers.slice(0, n) });
    await ring.open('#' + at(5));
    await expect(page.getByTestId('offload')).toBeHidden({ timeout: 60_000 });
    await expect(ring.page.getByTestId('ring-note')).toContainText('1,000,000 keys');
    await page.getByLabel('New server name').fill('s5');
    await page.getByRole('button', { name: 'Add server' }).click();
    // The worker is assigning for five servers and one more: another server meanwhile.
    await expect(page.getByTestId('offload')).toContainText('Assigning 1,000,000 keys');
    await page.waitForTimeout(300);
    await page.getByLabel('New server name').fill('s6');
    await page.getByRole('button', { name: 'Add server' }).click();
    await expect(ring.legendRows).toHaveCount(7);
    const report = inspect(at(7));
    const counts = async () => (await ring.legendRows.getByTestId('count').allTextContents()).map(num);
    await expect.poll(counts, { timeout: 60_000 }).toEqual(report.servers.map((s) => s.keys));
    await expect(page.getByTestId('offload')).toBeHidden();
    await expect(page.getByTestId('notices')).toHaveCount(0);
  });

  test('an uploaded list of 200,000 keys is read in the worker, and a broken one says where', async ({ page, ring }) => {
    await ring.open('');
    const lines = Array.from({ length: 200_000 }, (_, i) => `session-${i}`).join('\n');
    await page.getByLabel('Upload keys').setInputFiles({ name: 'keys.txt', mimeType: 'text/plain', buffer: Buffer.from(lines) });
    await expect(page.getByText('Using 200,000 pasted keys')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('ring-note')).toHaveText('200,000 keys, shown as density');
    expect(await legendTotal(page)).toBe(200_000);
    // A JSON array over 2 MB with a mistake at its end: the worker reads it and says where,
    // and the keys stay as they were.
    const broken = '[' + Array.from({ length: 150_000 }, (_, i) => `"key-${i}"`).join(', ') + ', 7';
    await page.getByLabel('Upload keys').setInputFiles({ name: 'keys.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
    await expect(page.getByTestId('keys-error')).toContainText('not a valid JSON array', { timeout: 60_000 });
    await expect(page.getByTestId('ring-note')).toHaveText('200,000 keys, shown as density');
  });
});
