import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The browser benchmarks: run by `cargo xtask bench`, never by the test command.
export default defineConfig({
  ...base,
  testDir: './bench',
  workers: 1,
  projects: [{ name: 'bench', use: { ...base.use, baseURL: 'http://127.0.0.1:4317/' } }],
  webServer: [(base.webServer as object[])[0]],
});
