import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, inspect, encodeState, type RingPage } from './fixtures';
import type { Page, Locator } from '@playwright/test';

/** The `hashhalo` CLI. */
const cli = () => process.env.HASHHALO_CLI ?? path.resolve(process.cwd(), '../target/debug/hashhalo');

/** Whether `locator`'s box lies wholly inside the viewport. */
async function inView(page: Page, locator: Locator) {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  expect(box, 'it is on the page').not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(size.height + 0.5);
  expect(box!.x + box!.width).toBeLessThanOrEqual(size.width + 0.5);
}

/** Every visible control, output and figure shows its whole text (nothing cut or hidden). */
async function nothingClipped(page: Page) {
  const clipped = await page.evaluate(() => {
    const out: string[] = [];
    const selector = 'button, select, output, label, .legend td, .legend th, .bar-numbers, .bar-label, .moved-summary, .vnode-count';
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const style = getComputedStyle(el);
      if (el.offsetParent === null || style.visibility === 'hidden') continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName} "${el.textContent}" ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  });
  expect(clipped).toEqual([]);
}

async function addServer(ring: RingPage, page: Page) {
  await ring.open();
  await page.getByRole('button', { name: 'Add server' }).click();
  await expect(ring.moved).toContainText('all of them to D.');
  await page.waitForTimeout(700); // the keys have arrived
}

const screens: [string, number, number][] = [
  ['laptop-1366x768', 1366, 768],
  ['laptop-1440x900', 1440, 900],
  ['desktop-1920x1080', 1920, 1080],
];

test.describe('the result in view', () => {
  for (const [name, width, height] of screens) {
    test(`at ${width}×${height} the ring, the sentence and the bars are in view after adding a server`, async ({ ring, page }, info) => {
      await page.setViewportSize({ width, height });
      await addServer(ring, page);
      await inView(page, ring.svg);
      await inView(page, ring.moved);
      await inView(page, page.locator('.bar-chart'));
      await expect(page.locator('.bar-row')).toHaveCount(4);
      await nothingClipped(page);
      // The page itself never scrolls: only the side column does.
      expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
      await shoot(page, info, `${name}.png`);
    });
  }
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('390×844: the ring and the sentence stay in view when the Servers block adds one', async ({ ring, page }, info) => {
    await ring.open();
    // The add button is in the scrolling column below the ring: scroll to it, tap it.
    const add = page.getByRole('button', { name: 'Add server' });
    await add.scrollIntoViewIfNeeded();
    await add.tap();
    await expect(ring.moved).toContainText('all of them to D.');
    await page.waitForTimeout(700);
    await inView(page, ring.svg);
    await inView(page, ring.moved);
    await inView(page, page.locator('.bar-row').last());
    await nothingClipped(page);
    // Every control a finger can reach is at least 44 px tall.
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, select, input')]
        .filter((el) => el.offsetParent !== null && (el as HTMLInputElement).type !== 'file')
        .map((el) => [el.getAttribute('aria-label') ?? el.textContent, el.getBoundingClientRect().height] as const)
        .filter(([, h]) => h < 44),
    );
    expect(small).toEqual([]);
    await shoot(page, info, 'phone-390x844.png');
  });

  test('a finger 18 px off a handle still turns the server', async ({ ring, page }) => {
    await ring.open();
    const url = await ring.settledUrl();
    const handle = await ring.handle('B').boundingBox();
    const centre = { x: handle!.x + handle!.width / 2, y: handle!.y + handle!.height / 2 };
    // Touch the drawing just beside the handle (towards the page's centre) and slide along.
    const cdp = await page.context().newCDPSession(page);
    const touch = async (type: string, x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    const start = { x: centre.x + 18, y: centre.y };
    await touch('touchStart', start.x, start.y);
    for (let i = 1; i <= 8; i++) await touch('touchMove', start.x + i * 4, start.y + i * 6);
    await touch('touchEnd', 0, 0);
    const turned = await ring.settledUrl(url);
    expect(inspect(turned).servers.find((s) => s.label === 'B')!.shift).not.toBe(0);
  });
});

test.describe('true sentences', () => {
  // Each kind of change, made in the page; the page's sentence must be the CLI's for the same links.
  const changes: [string, (page: Page, ring: RingPage) => Promise<void>, RegExp][] = [
    ['adding a server', async (page) => { await page.getByRole('button', { name: 'Add server' }).click(); }, /^Adding D moved /],
    ['removing a server', async (page, ring) => { await ring.serverRow('C').getByRole('button', { name: 'Remove C' }).click(); }, /^Removing C moved its /],
    ['failing a server', async (page, ring) => { await ring.serverRow('B').getByRole('button', { name: 'Fail B' }).click(); }, /^Failing B moved its /],
    ['re-weighting a server', async (page, ring) => {
      await ring.serverRow('A').getByLabel('Weight of A').fill('3');
      await ring.serverRow('A').getByLabel('Weight of A').press('Enter');
    }, /^A's weight went from 1 to 3: /],
    ['renaming a server', async (page, ring) => {
      await ring.serverRow('B').getByLabel('Name of server B').fill('cache-b');
      await ring.serverRow('B').getByLabel('Name of server B').press('Enter');
    }, /^Renaming B to cache-b moved /],
    ['changing the virtual nodes', async (page) => { await page.getByLabel('Virtual nodes per server').fill('40'); }, /^Changing the virtual nodes from 100 to 40 moved /],
    ['changing the hash', async (page) => { await page.getByLabel('Hash', { exact: true }).selectOption('md5'); }, /^Changing the hash function moved /],
    ['changing the algorithm', async (page) => { await page.getByLabel('Algorithm').selectOption('jump'); }, /^Switching from ring to jump moved /],
    ['changing the replication factor', async (page) => { await page.getByLabel('Replication factor').fill('3'); }, /^The replication factor went from 1 to 3/],
    ['changing the key count', async (page) => { await page.getByLabel('Key count').fill('300'); }, /^The keys changed from 1,000 to /],
    ['changing an algorithm parameter', async (page) => { await page.getByLabel('Maglev table size').selectOption('251'); }, /^Changing Maglev's table size moved /],
  ];
  for (const [name, change, start] of changes) {
    test(`${name}: the page says what hashhalo inspect says`, async ({ ring, page }) => {
      await ring.open(name.includes('parameter') ? '#' + encodeState({ algorithm: 4, vnodes: 100, count: 1000, servers: [{ id: 0, label: 'A', weight: 1 }, { id: 1, label: 'B', weight: 1 }, { id: 2, label: 'C', weight: 1 }] }) : '');
      const before = await ring.settledUrl();
      await change(page, ring);
      const after = await ring.settledUrl(before);
      const core = await ring.expectSentenceMatchesCore(after, before);
      expect(core.headline).toMatch(start);
      expect(`${core.headline} ${core.details!.join(' ')}`).not.toContain('minimum');
    });
  }

  test('restoring a failed server, with replicas: the replicas that took over are named', async ({ ring, page }) => {
    await ring.open();
    await page.getByLabel('Replication factor').fill('2');
    const two = await ring.settledUrl();
    await ring.serverRow('B').getByRole('button', { name: 'Fail B' }).click();
    const failed = await ring.settledUrl(two);
    const core = await ring.expectSentenceMatchesCore(failed, two);
    expect(core.details).toContain('With 2 replicas each of them already had a copy on its second replica, which took over: no data had to be copied.');
    // The probe shows a key of B's whole list: B skipped, the next one serving.
    // `route --replicas` prints "key<TAB>owner<TAB>A,C,B".
    const listOf = (key: string) => execFileSync(cli(), ['route', '--server', 'A', '--server', 'B', '--server', 'C', '--replicas', '3'], { input: `${key}\n`, encoding: 'utf8' }).trim().split('\t')[2].split(',');
    const key = Array.from({ length: 50 }, (_, i) => `user:${i}`).find((k) => listOf(k)[0] === 'B')!;
    await page.getByLabel('Key to probe').fill(key);
    await expect(page.locator('.replica-line')).toHaveCount(2);
    // B skipped; its second copy's server serves; the third keeps the other copy now.
    const [, second, third] = listOf(key);
    await expect(page.getByTestId('probe-replicas').locator('li')).toHaveText(['B (down)', `${second} — serving`, third]);
    await ring.serverRow('B').getByRole('button', { name: 'Restore B' }).click();
    const restored = await ring.settledUrl(failed);
    await ring.expectSentenceMatchesCore(restored, failed);
    await expect(ring.moved).toContainText('Restoring B moved ');
  });

  test('a link made with pasted keys says so when it is opened', async ({ ring, page, context }) => {
    await ring.open();
    const generated = await ring.settledUrl();
    await page.getByLabel('Paste keys').fill('alpha\nbeta\ngamma\n');
    await page.getByRole('button', { name: 'Use pasted keys' }).click();
    await expect(ring.summary).toContainText('3 keys');
    const link = await ring.settledUrl(generated);
    expect(link).toContain('#2.');
    const other = await context.newPage();
    await other.goto(link);
    const note = inspect(link).notes.find((n) => n.startsWith('This link was made with 3 pasted keys'))!;
    expect(note).toBeTruthy();
    await expect(other.getByTestId('notices')).toContainText(note);
    // Pasting the same list again restores the lab as it was, and says so.
    await other.getByLabel('Paste keys').fill('alpha\nbeta\ngamma\n');
    await other.getByRole('button', { name: 'Use pasted keys' }).click();
    await expect(other.getByTestId('notices')).toContainText('These are the keys the link was made with');
    await other.close();
  });
});

test.describe('readable at any configuration', () => {
  test('ten nginx servers: every handle shows, none on top of another', async ({ ring, page }) => {
    await ring.open();
    for (const i of [4, 5, 6, 7, 8, 9, 10]) {
      await page.getByLabel('New server name').fill(`10.0.0.${i}:80`);
      await page.getByRole('button', { name: 'Add server' }).click();
    }
    await page.getByLabel('Algorithm').selectOption('nginx');
    await expect(page.locator('.server-handle')).toHaveCount(10);
    const boxes = await page.locator('.server-handle').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2, r: r.width / 2 };
    }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = 0; j < i; j++) {
        const d = Math.hypot(boxes[i].x - boxes[j].x, boxes[i].y - boxes[j].y);
        expect(d, `handles ${i} and ${j}`).toBeGreaterThanOrEqual(boxes[i].r + boxes[j].r - 1);
      }
    }
  });
});

test.describe('accessibility', () => {
  for (const [name, setup] of [
    ['the lab as it opens', async () => {}],
    ['after a change, with replicas and a probe', async (page: Page) => {
      await page.getByRole('button', { name: 'Add server' }).click();
      await page.getByLabel('Replication factor').fill('3');
      await page.getByLabel('Key to probe').fill('user:42');
      await page.getByText('From → to, server by server').click();
    }],
  ] as [string, (page: Page) => Promise<void>][]) {
    test(`axe finds nothing serious or critical: ${name}`, async ({ ring, page }) => {
      await ring.open();
      await setup(page);
      await page.waitForTimeout(700);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      expect(bad).toEqual([]);
    });
  }
});

/** A screenshot for the README, copied into docs/screenshots with HASHHALO_UPDATE_DOCS=1. */
async function shoot(page: Page, info: { outputPath: (name: string) => string; config: { configFile?: string } }, name: string) {
  const file = info.outputPath(name);
  await page.screenshot({ path: file });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  if (process.env.HASHHALO_UPDATE_DOCS) {
    const docs = path.resolve(path.dirname(info.config.configFile!), '../docs/screenshots');
    fs.copyFileSync(file, path.join(docs, name));
  }
}
