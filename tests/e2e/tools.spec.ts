import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { test, expect, CLI, watchLongTasks, longTasksSince } from './fixtures';

/** Every experiment, by the name the CLI and links use. */
const EXPERIMENTS = ['a1', 'a2', 'vnodes', 'churn', 'hot-keys', 'bounded', 'hashes', 'size'];

test.describe('compare and experiments', () => {
  for (const name of EXPERIMENTS) {
    test(`${name} runs from a fresh load, draws its chart, and its CSV is the CLI's`, async ({ page, ring }) => {
      await ring.open(`#tool=${name}_30`);
      const dialog = page.locator('dialog.tools');
      await expect(dialog).toBeVisible();
      const section = dialog.locator(`section.experiment[data-experiment="${name}"]`);
      await expect(section.locator('svg.chart-svg')).toBeVisible({ timeout: 60_000 });
      await expect(section.locator('h3')).not.toBeEmpty();
      const marks = section.locator('svg.chart-svg .series rect, svg.chart-svg .series circle');
      expect(await marks.count()).toBeGreaterThan(0);
      // Every value says what it is when hovered.
      await expect(marks.first().locator('title')).toHaveText(/ = /);
      const download = page.waitForEvent('download');
      await section.getByRole('button', { name: 'Download CSV' }).click();
      const file = test.info().outputPath(`${name}.csv`);
      await (await download).saveAs(file);
      const cli = execFileSync(CLI, ['experiment', name, '--csv', '--seeds', '30'], { encoding: 'utf8' });
      expect(fs.readFileSync(file, 'utf8')).toBe(cli);
      // The table view holds the same rows, for a screen reader.
      await expect(section.locator('details.chart-table tbody tr')).toHaveCount(cli.trim().split('\n').length - 1);
      // JSON too, from the same table.
      const json = page.waitForEvent('download');
      await section.getByRole('button', { name: 'Download JSON' }).click();
      const jsonFile = test.info().outputPath(`${name}.json`);
      await (await json).saveAs(jsonFile);
      const cliJson = execFileSync(CLI, ['experiment', name, '--json', '--seeds', '30'], { encoding: 'utf8' });
      expect(JSON.parse(fs.readFileSync(jsonFile, 'utf8'))).toEqual(JSON.parse(cliJson));
    });
  }

  test('the link reopens the experiment, and closing the dialog takes the tool out of the address', async ({ page, ring }) => {
    await ring.open('');
    await page.getByRole('button', { name: 'Compare algorithms and run experiments' }).click();
    const dialog = page.locator('dialog.tools');
    await dialog.getByRole('tab', { name: 'Virtual nodes' }).click();
    const section = dialog.locator('section.experiment[data-experiment="vnodes"]');
    await expect(section.locator('svg.chart-svg')).toBeVisible({ timeout: 60_000 });
    const href = await section.locator('a.tool-link').getAttribute('href');
    expect(href).toContain('tool=vnodes_30');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('tool=vnodes_30');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('tool=');
    await page.goto(href!);
    await expect(page.locator('section.experiment[data-experiment="vnodes"] svg.chart-svg')).toBeVisible({ timeout: 60_000 });
  });

  test('compare shows every algorithm as the CLI computes it, and modulo next to the ring', async ({ page, ring }) => {
    const link = '#scenario=add-server&step=2';
    await ring.open(`${link}&tool=compare`);
    const table = page.locator('dialog.tools table.compare-table');
    await expect(table).toBeVisible({ timeout: 60_000 });
    const cli = JSON.parse(execFileSync(CLI, ['compare', link, '--json'], { encoding: 'utf8' }));
    const columns: string[] = cli.columns.map((c: { name: string }) => c.name);
    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent ?? '')),
    );
    expect(rows.length).toBe(12);
    const headers = await table.locator('thead th').evaluateAll((ths) => ths.slice(1).map((th) => th.textContent ?? ''));
    for (const [i, want] of cli.rows.entries()) {
      for (const [j, name] of columns.entries()) {
        const k = headers.findIndex((h) => h === name || h.startsWith(`${name} (`));
        expect(k, name).toBeGreaterThanOrEqual(0);
        const cell = want[j] === null ? '' : String(want[j]);
        expect(rows[i][k], `${want[0]}: ${name}`).toBe(cell);
      }
    }
    // The page timed lookups in its worker.
    expect(headers.some((h) => h.startsWith('lookup'))).toBe(true);
    // Three servers become four: modulo was expected to move 3/4, and the page says what it moved.
    await expect(page.locator('.modulo-note')).toContainText('n/(n+1) = 75.0 %');
    const moduloMoved = cli.rows[0][columns.indexOf('moved')];
    await expect(page.locator('.modulo-note')).toContainText(`moved ${moduloMoved} keys`);
    await expect(table.locator('tbody tr').first().locator('td.strip path').first()).toBeAttached();
  });

  test('a long run shows its progress and stops on Cancel', async ({ page, ring }) => {
    // Near the widest tier the simulation places (475 servers by the mean), uniform keys,
    // over 200 seeds: rings of 47 500 points built thousands of times, many seconds of work.
    await ring.open('#tool=size_200_1000000_1900000_5000_20_0_1');
    const dialog = page.locator('dialog.tools');
    const running = dialog.locator('.job-running');
    await expect(running.locator('progress')).toBeVisible({ timeout: 30_000 });
    await running.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.getByText('Cancelled.')).toBeVisible();
    await expect(running).toHaveCount(0);
    // Nothing arrives later from the job that was ended.
    await page.waitForTimeout(3_000);
    await expect(dialog.locator('svg.chart-svg')).toHaveCount(0);
    await expect(dialog.getByText('Cancelled.')).toBeVisible();
    // Run again starts afresh, and says nothing of the cancelled run while it works.
    await dialog.getByRole('button', { name: 'Run again' }).click();
    await expect(running.locator('progress')).toBeVisible();
    await expect(dialog.getByText('Cancelled.')).toHaveCount(0);
    await running.getByRole('button', { name: 'Cancel' }).click();
  });

  // Tagged @quiet: `cargo xtask test` runs it alone, after the rest, so what it measures is the
  // page's own work rather than another test's browser sharing the two cores.
  test('running the compare view and every experiment never blocks the page for more than 50 ms @quiet', async ({ page, ring }) => {
    await watchLongTasks(page);
    await ring.open('');
    // The page has settled after its first view; from here on, the work is the tools'.
    await page.waitForTimeout(500);
    const since = await page.evaluate(() => performance.now());
    // While the tasks are watched, the page is driven by plain DOM calls: Playwright's own
    // checks (role queries over the whole page, visibility, the page outline it records
    // when a wait has not yet succeeded) run on the page's main thread too, and would be
    // counted against the app.
    const press = (selector: string) => page.evaluate((s) => (document.querySelector(s) as HTMLElement).click(), selector);
    const shown = (selector: string) =>
      page.waitForFunction((s) => document.querySelector(s) !== null, selector, { polling: 100, timeout: 60_000 });
    await press('button.tools-open');
    await shown('dialog.tools table.compare-table');
    for (const name of EXPERIMENTS) {
      await press(`dialog.tools .tab[data-tab="${name}"]`);
      await shown(`dialog.tools section.experiment[data-experiment="${name}"] svg.chart-svg`);
    }
    const tasks = await longTasksSince(page, since);
    // What was waited for is what a person sees.
    const dialog = page.locator('dialog.tools');
    await expect(dialog.locator('section.experiment[data-experiment="size"] svg.chart-svg')).toBeVisible();
    expect(tasks).toEqual([]);
  });
});
