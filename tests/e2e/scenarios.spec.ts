import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, inspect, type RingPage } from './fixtures';
import type { Page } from '@playwright/test';

const CLI = process.env.HASHHALO_CLI ?? path.resolve(process.cwd(), '../target/debug/hashhalo');

/** The built-in scenarios, as the CLI lists them: their ids and numbers of steps. */
function builtins(): { id: string; steps: number }[] {
  return execFileSync(CLI, ['scenario', 'list'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => ({ id: line.split(/\s+/)[0], steps: Number(/\((\d+) steps\)/.exec(line)![1]) }));
}

/** Everything the ring draws that does not move with the animation: paths, handles, text. */
async function drawn(page: Page): Promise<string[]> {
  return page.locator('svg.ring').evaluate((svg) =>
    [...svg.querySelectorAll('path.arc, path.ticks, path.pinned, path.keys, .server-handle, .handle-label, .centre-title, .centre-note')].map(
      (e) => `${e.getAttribute('class')} ${e.getAttribute('data-server') ?? ''} ${e.getAttribute('d') ?? ''} ${e.getAttribute('cx') ?? ''},${e.getAttribute('cy') ?? ''} ${e.textContent}`,
    ),
  );
}

/** What the page says about the step: the legend, the sentence, the player. */
async function said(ring: RingPage, page: Page) {
  return {
    counts: [...(await ring.legendCounts())],
    headline: await ring.moved.textContent(),
    details: await page.getByTestId('moved-details').locator('p').allTextContents(),
    step: await page.getByTestId('player-step').textContent(),
    caption: await page.getByTestId('player-caption').textContent(),
  };
}

test.describe('guided scenarios', () => {
  test.beforeEach(async ({ page }) => {
    // Moved keys arrive at once, so two drawings of the same state compare equal.
    await page.emulateMedia({ reducedMotion: 'reduce' });
  });

  for (const { id, steps } of builtins()) {
    test(`${id}: every step's numbers are the core's, and Back draws what a fresh load draws`, async ({ ring, page }) => {
      await ring.open(`#scenario=${id}&step=0`);
      await expect(page.getByTestId('player-step')).toHaveText(`Start · ${steps} steps`);
      const fresh: Awaited<ReturnType<typeof drawn>>[] = [];
      const words: Awaited<ReturnType<typeof said>>[] = [];
      for (let k = 0; k <= steps; k++) {
        const link = `#scenario=${id}&step=${k}`;
        if (k > 0) await page.getByRole('button', { name: 'Next', exact: true }).click();
        await expect(page.getByTestId('player-step')).toHaveText(k === 0 ? `Start · ${steps} steps` : `Step ${k} of ${steps}`);
        const core = await ring.expectCountsMatchCore(link);
        if (k > 0) {
          await expect(ring.moved).toHaveText(core.headline!);
          await expect(page.getByTestId('moved-details').locator('p')).toHaveText(core.details!);
        }
        // The address is the step's own link.
        await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).toBe(link);
        words.push(await said(ring, page));
        fresh.push(await drawn(page));
      }
      // Back, step by step, is an exact rewind.
      for (let k = steps - 1; k >= 0; k--) {
        await page.getByRole('button', { name: 'Back', exact: true }).click();
        await expect(page.getByTestId('player-step')).toHaveText(k === 0 ? `Start · ${steps} steps` : `Step ${k} of ${steps}`);
        expect(await drawn(page)).toEqual(fresh[k]);
        if (k > 0) expect(await said(ring, page)).toEqual(words[k]);
      }
      // And a fresh load of a middle step's link draws what reaching it drew (once the address
      // says step 0, so the new address is a change the page hears).
      await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).toBe(`#scenario=${id}&step=0`);
      const middle = Math.ceil(steps / 2);
      await ring.open(`#scenario=${id}&step=${middle}`);
      await expect(page.getByTestId('player-step')).toHaveText(`Step ${middle} of ${steps}`);
      expect(await drawn(page)).toEqual(fresh[middle]);
      expect(await said(ring, page)).toEqual(words[middle]);
    });
  }

  test('the node-failure scenario shows lost keys with one copy and fail-over with two', async ({ ring, page }) => {
    // One copy: the failed node's keys are lost until it is back, and the page says so.
    const one = inspect('#scenario=node-failure&step=2');
    expect(one.unavailable).toMatch(/^444 keys \(44\.4 %\) had every copy on node1/);
    await ring.open('#scenario=node-failure&step=2');
    await expect(page.getByTestId('unavailable')).toHaveText(one.unavailable!);
    await expect(page.getByTestId('moved-details')).toContainText('With 1 replica no other server held a copy');
    // Two copies: the next node clockwise takes over, and nothing is lost.
    const two = inspect('#scenario=node-failure&step=5');
    expect(two.unavailable).toBeNull();
    await ring.open('#scenario=node-failure&step=5');
    await expect(ring.moved).toHaveText(two.headline!);
    await expect(page.getByTestId('unavailable')).toBeHidden();
    await expect(page.getByTestId('moved-details')).toContainText('took over');
  });

  test('explore from here leaves the scenario at its state, and the link becomes the lab', async ({ ring, page }) => {
    await ring.open('#scenario=add-server&step=2');
    const counts = await ring.legendCounts();
    await page.getByRole('button', { name: 'Explore from here' }).click();
    await expect(page.getByTestId('player')).toHaveCount(0);
    const url = await ring.settledUrl();
    expect(await ring.legendCounts()).toEqual(counts);
    await ring.expectCountsMatchCore(url);
    // A change by hand while a scenario plays says so, and Reset goes back to the exact start.
    await ring.open('#scenario=weights&step=1');
    await page.getByRole('button', { name: 'Fail A' }).click();
    await expect(page.locator('.player-changed')).toBeVisible();
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await ring.expectCountsMatchCore('#scenario=weights&step=0');
  });

  test('autoplay steps by itself, and Pause stops it', async ({ ring, page }) => {
    await ring.open('#scenario=weights&step=0&autoplay=1');
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    await expect(page.getByTestId('player-step')).toHaveText('Step 1 of 3', { timeout: 6_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForTimeout(4_500);
    await expect(page.getByTestId('player-step')).toHaveText('Step 1 of 3');
  });

  test('Record makes a scenario of three changes: captions, a link, a file that opens again and the CLI checks', async ({ ring, page }, info) => {
    await ring.open();
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByRole('textbox', { name: 'Scenario title' }).fill('Three changes');
    await page.getByRole('textbox', { name: 'New server name' }).fill('D');
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('button', { name: 'Fail B' }).click();
    await page.getByRole('slider', { name: 'Replication factor' }).fill('2');
    const captions = page.locator('.step-caption');
    await expect(captions).toHaveCount(3);
    await expect(captions.nth(0)).toHaveValue('Add server D.');
    await expect(captions.nth(1)).toHaveValue('Fail B.');
    await expect(captions.nth(2)).toHaveValue('Keep 2 copies of each key.');
    await captions.nth(1).fill('B goes down.');
    await captions.nth(1).press('Tab');
    const end = await ring.legendCounts();
    await page.getByRole('button', { name: 'Stop and play' }).click();
    await expect(page.getByTestId('player-step')).toHaveText('Start · 3 steps');
    await expect(page.locator('.player-title')).toHaveText('Three changes');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(page.getByTestId('player-caption')).toHaveText('B goes down.');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(page.getByTestId('player-step')).toHaveText('Step 3 of 3');
    await expect.poll(() => ring.legendCounts()).toEqual(end);
    // The step's link carries the scenario: the core reads it as the page does.
    const live = () => page.evaluate(() => location.href);
    await expect.poll(live).toMatch(/scenario=s1\..*step=3/);
    await ring.expectCountsMatchCore(await live());

    // The file: downloaded, checked by the CLI, opened again.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download file' }).click();
    const file = info.outputPath('recorded.json');
    await (await download).saveAs(file);
    expect(execFileSync(CLI, ['scenario', 'check', file], { encoding: 'utf8' })).toMatch(/^ok\s+recorded\s+3 steps/);
    const text = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(text.steps[1].caption).toBe('B goes down.');
    await ring.open();
    await page.getByLabel('Open a scenario file').setInputFiles(file);
    await expect(page.locator('.player-title')).toHaveText('Three changes');
    await expect(page.getByTestId('player-step')).toHaveText('Start · 3 steps');
  });

  test('a broken scenario file is refused next to the input, naming the step and the field', async ({ ring, page }, info) => {
    await ring.open();
    const file = info.outputPath('broken.json');
    const spec = JSON.parse(execFileSync(CLI, ['scenario', 'show', 'add-server'], { encoding: 'utf8' }));
    spec.steps[1].edits[0] = { edit: 'add-sever', label: 'D' };
    fs.writeFileSync(file, JSON.stringify(spec));
    await page.getByLabel('Open a scenario file').setInputFiles(file);
    await expect(page.getByTestId('scenario-error')).toContainText('step 2, edits[0].edit: unknown variant `add-sever`');
    await expect(page.getByTestId('player')).toHaveCount(0);
  });
});
