import { test, expect, inspect } from './fixtures';

test.describe('sliders', () => {
  test('virtual nodes, key count and replication each change the lab as the core computes', async ({ ring, page }) => {
    await ring.open();
    let url = await ring.settledUrl();

    const start = url;
    await page.getByLabel('Virtual nodes per server').fill('7');
    await expect(page.getByTestId('vnodes-value')).toHaveText('7');
    url = await ring.settledUrl(url);
    // One slider gesture is one change: the panel compares 100 virtual nodes with 7.
    // One slider gesture is one change, told as the core tells it.
    await ring.expectSentenceMatchesCore(url, start);
    await expect(ring.moved).toContainText('Changing the virtual nodes from 100 to 7 moved ');
    expect(inspect(url).vnodes).toBe(7);
    const ticks = await ring.tickPaths.evaluateAll((els) => els.reduce((n, e) => n + (e.getAttribute('d')?.match(/M/g)?.length ?? 0), 0));
    expect(ticks).toBe(21);
    await expect(page.getByTestId('balance').locator('p')).toHaveText(inspect(url).balance);
    await ring.expectCountsMatchCore(url);

    await page.getByLabel('Key count').fill('100');
    await expect(page.getByTestId('keys-value')).toHaveText('100');
    url = await ring.settledUrl(url);
    expect(inspect(url).keys).toBe(100);
    await ring.expectCountsMatchCore(url);

    await page.getByLabel('Replication factor').fill('3');
    await expect(page.getByTestId('replicas-value')).toHaveText('3');
    await page.getByLabel('Key to probe').fill('user:7');
    await expect(page.getByTestId('probe-replicas').locator('li')).toHaveText([/^[ABC] — serving$/, /^[ABC]$/, /^[ABC]$/]);

    // Per-server weight: B gets three times the virtual nodes.
    await ring.serverRow('B').getByLabel('Weight of B').fill('3');
    await ring.serverRow('B').getByLabel('Weight of B').press('Enter');
    await expect(ring.serverRow('B').locator('.vnode-count')).toHaveText('21 virtual nodes');
    url = await ring.settledUrl(url);
    await ring.expectCountsMatchCore(url);
  });

  test('every algorithm can be chosen, and the counts match the core for each', async ({ ring, page }) => {
    await ring.open();
    let url = await ring.settledUrl();
    for (const algorithm of ['modulo', 'jump', 'rendezvous', 'maglev', 'multi-probe', 'bounded-loads', 'anchor', 'nginx', 'libketama', 'envoy-ring', 'envoy-maglev', 'ring']) {
      await page.getByLabel('Algorithm').selectOption(algorithm);
      url = await ring.settledUrl(url);
      expect(inspect(url).algorithm).toBe(algorithm);
      await ring.expectCountsMatchCore(url);
    }
    await page.getByLabel('Algorithm').selectOption('nginx');
    await expect(page.getByLabel('Hash', { exact: true })).toBeDisabled();
    await expect(page.getByText('This preset hashes keys with crc32')).toBeVisible();
  });
});

test.describe('servers', () => {
  test('add, rename, fail, restore and remove', async ({ ring, page }) => {
    await ring.open();
    let url = await ring.settledUrl();
    await page.getByLabel('New server name').fill('cache-4');
    await page.getByRole('button', { name: 'Add server' }).click();
    await expect(ring.legendRows).toHaveCount(4);
    url = await ring.settledUrl(url);
    await ring.expectCountsMatchCore(url);

    // A repeated name is refused with a message, and nothing changes.
    await page.getByLabel('New server name').fill('A');
    await page.getByRole('button', { name: 'Add server' }).click();
    await expect(page.getByTestId('server-error')).toHaveText('There is already a server named A.');
    await expect(ring.legendRows).toHaveCount(4);

    await ring.serverRow('cache-4').getByLabel('Name of server cache-4').fill('D');
    await ring.serverRow('cache-4').getByLabel('Name of server cache-4').press('Enter');
    await expect(ring.serverRow('D')).toBeVisible();
    url = await ring.settledUrl(url);

    // Fail B: its keys fail over (only its keys move), and come back on restore.
    const beforeFail = inspect(url);
    await ring.serverRow('B').getByRole('button', { name: 'Fail B' }).click();
    url = await ring.settledUrl(url);
    const failed = inspect(url);
    expect(failed.servers.find((s) => s.label === 'B')!.keys).toBe(0);
    const bKeys = beforeFail.servers.find((s) => s.label === 'B')!.keys;
    await expect(ring.moved).toContainText(`Failing B moved its ${bKeys} keys (`);
    await expect(ring.legendRows.filter({ hasText: 'B' })).toHaveClass(/down/);
    await ring.expectCountsMatchCore(url);

    await ring.serverRow('B').getByRole('button', { name: 'Restore B' }).click();
    url = await ring.settledUrl(url);
    expect(inspect(url).servers.map((s) => s.keys)).toEqual(beforeFail.servers.map((s) => s.keys));
    await expect(ring.moved).toContainText(`Restoring B moved ${bKeys} of 1,000 keys`);

    await ring.serverRow('D').getByRole('button', { name: 'Remove D' }).click();
    await expect(ring.legendRows).toHaveCount(3);
    url = await ring.settledUrl(url);
    await ring.expectCountsMatchCore(url);
  });

  test('the keyboard alone adds a server, fails it and moves a slider', async ({ ring, page }) => {
    await ring.open();
    await page.getByLabel('New server name').focus();
    await page.keyboard.type('E');
    await page.keyboard.press('Enter');
    await expect(ring.legendRows).toHaveCount(4);
    await ring.serverRow('E').getByRole('button', { name: 'Fail E' }).focus();
    await page.keyboard.press('Enter');
    await expect(ring.serverRow('E').getByRole('button', { name: 'Restore E' })).toBeVisible();
    await page.getByLabel('Replication factor').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('replicas-value')).toHaveText('2');
    const url = await ring.settledUrl();
    await ring.expectCountsMatchCore(url);
  });
});
