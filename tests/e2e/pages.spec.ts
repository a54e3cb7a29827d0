import { test, expect } from './fixtures';

// The GitHub Pages build: built with --public-url /hashhalo/ and served only under that
// sub-path, so any asset addressed from the site root would 404 and fail the test.
test('the Pages build works under its sub-path', async ({ ring, page, baseURL }) => {
  const assets: string[] = [];
  page.on('response', (r) => {
    if (/\.(wasm|js|css|svg)$/.test(new URL(r.url()).pathname)) assets.push(r.url());
  });
  await ring.open();
  await expect(ring.legendRows).toHaveCount(3);

  const prefix = new URL(baseURL!).pathname;
  expect(prefix).not.toBe('/');
  expect(assets.some((a) => a.endsWith('.wasm'))).toBe(true);
  expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
  expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
  for (const a of assets) expect(new URL(a).pathname.startsWith(prefix), a).toBe(true);
});
