import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, inspect } from './fixtures';
import type { Page } from '@playwright/test';

const SIZES: [number, number][] = [
  [480, 270], [640, 360], [960, 540], [1280, 720], [1920, 1080], // 16:9
  [640, 480], [800, 600], [1024, 768], [1440, 1080], // 4:3
];

/** Nothing scrolls and nothing is cut: the page, and every text block the view shows. */
async function fits(page: Page) {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollHeight > root.clientHeight || root.scrollWidth > root.clientWidth) {
      out.push(`page ${root.scrollWidth}×${root.scrollHeight} in ${root.clientWidth}×${root.clientHeight}`);
    }
    for (const el of document.querySelectorAll<HTMLElement>('.moved-summary, .unavailable, .player-caption, .player-watch, .player-head, .player-controls, .result')) {
      if (el.offsetParent === null) continue;
      if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) {
        out.push(`${el.className} ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
      }
      const r = el.getBoundingClientRect();
      if (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) out.push(`${el.className} outside the frame`);
    }
    const ring = document.querySelector('svg.ring')!.getBoundingClientRect();
    if (ring.bottom > innerHeight + 0.5 || ring.right > innerWidth + 0.5 || ring.width < 100) out.push(`ring ${ring.width} at ${ring.bottom}`);
    return out;
  });
  expect(problems, `at ${page.viewportSize()!.width}×${page.viewportSize()!.height}, ${page.url()}`).toEqual([]);
}

test.describe('embedded in a slide', () => {
  for (const chrome of ['minimal', 'none']) {
    test(`fills frames from 480×270 to 1920×1080 with no scrollbars (chrome ${chrome})`, async ({ ring, page }) => {
      for (const [width, height] of SIZES) {
        await page.setViewportSize({ width, height });
        for (const theme of ['light', 'projector']) {
          await page.goto(`#scenario=node-failure&step=2&embed=1&chrome=${chrome}&theme=${theme}`);
          await expect(ring.arcs.first()).toBeAttached();
          await expect(ring.moved).toContainText('Failing node1 moved');
          await expect(page.locator('header.top')).toBeHidden();
          await expect(page.locator('.side')).toBeHidden();
          await expect(page.getByTestId('player')).toBeVisible({ visible: chrome === 'minimal' });
          await expect(page.getByTestId('unavailable')).toBeVisible();
          await fits(page);
        }
      }
    });
  }

  test('the full chrome shows the whole lab inside the frame, with nothing but the side column scrolling', async ({ ring, page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await ring.open('#scenario=add-server&step=2&embed=1&chrome=full');
    await expect(ring.moved).toContainText('Adding D moved');
    await expect(page.locator('.side')).toBeVisible();
    await expect(page.locator('header.top')).toBeHidden();
    const scroll = await page.evaluate(() => document.documentElement.scrollHeight - document.documentElement.clientHeight);
    expect(scroll).toBeLessThanOrEqual(0);
  });

  test('read-only hides the controls and the ring ignores drags and keys', async ({ ring, page }) => {
    await ring.open('#scenario=add-server&step=2&embed=1&chrome=full&readonly=1');
    await expect(page.getByRole('button', { name: 'Add server' })).toHaveCount(0);
    const before = await ring.handle('A').getAttribute('cx');
    await ring.handle('A').focus();
    await page.keyboard.press('ArrowRight');
    const box = (await ring.handle('A').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 80, box.y + 80, { steps: 5 });
    await page.mouse.up();
    await expect(ring.handle('A')).toHaveAttribute('cx', before!);
  });

  test('never takes focus, and "Open in HashHalo" opens the full lab at the same state', async ({ page, context }) => {
    await page.setContent(`<p>Deck</p><iframe id="f" src="http://127.0.0.1:4317/#scenario=add-server&step=2&embed=1&chrome=none" width="960" height="540"></iframe>`);
    const frame = page.frameLocator('#f');
    await expect(frame.getByTestId('moved-summary')).toContainText('Adding D moved');
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
    const open = frame.getByRole('link', { name: 'Open in HashHalo' });
    const href = await open.getAttribute('href');
    expect(href).toContain('scenario=add-server&step=2');
    expect(href).not.toContain('embed=1');
    const [full] = await Promise.all([context.waitForEvent('page'), open.click()]);
    await expect(full.locator('header.top')).toBeVisible();
    await expect(full.getByTestId('player-step')).toHaveText('Step 2 of 3');
    const core = inspect(full.url());
    await expect(full.getByTestId('moved-summary')).toHaveText(core.headline!);
    await full.close();
  });

  test('light, dark and projector themes, in a 960×540 slide; the full app follows the system and has a switch', async ({ ring, page }, info) => {
    await page.setViewportSize({ width: 960, height: 540 });
    const backgrounds = new Map<string, string>();
    for (const theme of ['light', 'dark', 'projector']) {
      await page.goto(`#scenario=add-server&step=2&embed=1&theme=${theme}`);
      await expect(ring.moved).toContainText('Adding D moved');
      await page.waitForTimeout(700);
      backgrounds.set(theme, await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor));
      const shot = await page.screenshot();
      await info.attach(`slide-${theme}`, { body: shot, contentType: 'image/png' });
      if (process.env.HASHHALO_UPDATE_DOCS) fs.writeFileSync(`../docs/screenshots/slide-960x540-${theme}.png`, shot);
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), theme).toEqual([]);
    }
    expect(new Set(backgrounds.values()).size).toBe(3);
    // The full app: dark when the system says so, and the switch overrides it (in the link too).
    await page.emulateMedia({ colorScheme: 'dark' });
    await ring.open();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(backgrounds.get('dark'));
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(backgrounds.get('light'));
    await expect.poll(() => page.url()).toContain('theme=light');
    for (const theme of ['dark', 'projector']) {
      await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), `full app, ${theme}`).toEqual([]);
    }
  });
});
