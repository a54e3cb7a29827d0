import { test, expect, encodeState } from './fixtures';

test.describe('keys', () => {
  test('the probe shows a key’s hash, place, owner and replicas', async ({ ring, page }) => {
    await ring.open();
    await page.getByLabel('Key to probe').fill('user:42');
    await expect(page.getByTestId('probe-hash')).toHaveText(/^[0-9a-f]{16}$/);
    await expect(page.getByTestId('probe-angle')).toHaveText(/° clockwise from 0$/);
    await expect(page.getByTestId('probe-owner')).toHaveText(/^[ABC]$/);
    await expect(page.locator('.probe-line')).toHaveCount(1);
    // The probe's owner is the server the CLI routes the key to.
    const { execFileSync } = await import('node:child_process');
    const path = await import('node:path');
    const cli = process.env.HASHHALO_CLI ?? path.resolve(process.cwd(), '../target/debug/hashhalo');
    const routed = execFileSync(cli, ['route', '--server', 'A', '--server', 'B', '--server', 'C'], { input: 'user:42\n', encoding: 'utf8' });
    await expect(page.getByTestId('probe-owner')).toHaveText(routed.trim().split('\t')[1]);
  });

  test('pasted keys replace the set; bad input is explained and changes nothing', async ({ ring, page }) => {
    await ring.open();
    const paste = page.getByLabel('Paste keys');
    await paste.fill('["a", "b",');
    await page.getByRole('button', { name: 'Use pasted keys' }).click();
    await expect(page.getByTestId('keys-error')).toContainText('not a valid JSON array at line 1');
    await expect(ring.summary).toContainText('1,000 keys');

    await paste.fill('   \n  ');
    await page.getByRole('button', { name: 'Use pasted keys' }).click();
    await expect(page.getByTestId('keys-error')).toContainText('no keys found');
    await expect(ring.summary).toContainText('1,000 keys');

    await paste.fill('key,size\nalpha,1\nbeta,2\n"gamma,delta",3\n');
    await page.getByRole('button', { name: 'Use pasted keys' }).click();
    await expect(page.getByTestId('keys-error')).toHaveText('');
    await expect(ring.summary).toContainText('3 keys');
    await expect(page.getByText('Using 3 pasted keys')).toBeVisible();
    // The key-count slider does not apply to pasted keys, and shows their count.
    await expect(page.getByLabel('Key count')).toBeDisabled();
    await expect(page.getByTestId('keys-value')).toHaveText('3');
    const total = [...(await ring.legendCounts()).values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(3);
    // The pasted keys stay through a change to the servers.
    await page.getByRole('textbox', { name: 'New server name' }).fill('D');
    await page.getByRole('button', { name: 'Add server' }).click();
    await expect(page.getByTestId('moved-summary')).toContainText('Adding D moved');
    await expect(ring.summary).toContainText('3 keys');
    await expect(page.getByText('Using 3 pasted keys')).toBeVisible();

    await page.getByRole('button', { name: 'Back to generated keys' }).click();
    await expect(ring.summary).toContainText('1,000 keys');
    await expect(page.getByLabel('Key count')).toBeEnabled();
    await expect(page.getByTestId('keys-value')).toHaveText('1,000');
  });

  test('an uploaded JSON file like the original simulation’s keys.json is used', async ({ ring, page }) => {
    await ring.open();
    const fs = await import('node:fs');
    const keys = fs.readFileSync('../data/keys.json');
    await page.getByLabel('Upload keys').setInputFiles({ name: 'keys.json', mimeType: 'application/json', buffer: keys });
    await expect(ring.summary).toContainText('1,000 keys');
    await expect(page.getByText('Using 1,000 pasted keys')).toBeVisible();
    await page.getByLabel('Upload keys').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('[1, {') });
    await expect(page.getByTestId('keys-error')).toContainText('not a valid JSON array');
    await expect(page.getByText('Using 1,000 pasted keys')).toBeVisible();
  });

  test('a list longer than the algorithm places quickly is refused beside the box, and the keys stay', async ({ ring, page }) => {
    test.setTimeout(60_000);
    // Rendezvous scores every server for every key: over 64 servers it places at most about
    // 280,000 keys within the work budget, so 300,000 uploaded keys (read in the worker) are
    // refused with the clamp's words, and the lab keeps its 1,000 generated keys.
    const servers = Array.from({ length: 64 }, (_, i) => ({ id: i, label: `s${i}`, weight: 1 }));
    await ring.open('#' + encodeState({ algorithm: 3, vnodes: 1, count: 1000, servers }));
    const list = Buffer.from(Array.from({ length: 300_000 }, (_, i) => `key-${i}`).join('\n'));
    await page.getByLabel('Upload keys').setInputFiles({ name: 'keys.txt', mimeType: 'text/plain', buffer: list });
    await expect(page.getByTestId('keys-error')).toContainText(
      /^rendezvous over 64 servers can place at most [\d,]+ keys quickly; paste fewer keys, or use fewer servers$/,
      { timeout: 30_000 },
    );
    await expect(ring.summary).toContainText('1,000 keys');
    await expect(page.getByLabel('Key count')).toBeEnabled();
  });

  test('generated key kinds and seeds', async ({ ring, page }) => {
    await ring.open();
    for (const kind of ['ips', 'urls', 'uniform', 'userids']) {
      await page.getByLabel('Key kind').selectOption(kind);
      await expect(ring.summary).toContainText('1,000 keys');
    }
    await page.getByRole('button', { name: 'New seed' }).click();
    await expect(page.getByLabel('Seed')).toHaveValue('2');
    await page.getByLabel('Seed').fill('-4');
    await page.getByLabel('Seed').press('Enter');
    await expect(page.getByTestId('keys-error')).toHaveText('The seed is a whole number from 0.');
    await expect(ring.moved).toHaveText('The keys changed (1,000 others), so there is nothing to compare.');
  });
});
