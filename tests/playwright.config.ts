import { defineConfig } from '@playwright/test';

// Both servers are started by Playwright on 127.0.0.1 and stopped when the run ends.
const APP_PORT = 4317;
const PAGES_PORT = 4318;
const PAGES_PATH = process.env.HASHHALO_PAGES_PATH ?? '/hashhalo/';

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      // Debian's Chromium: Playwright never downloads a browser here.
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-dev-shm-usage',
      ],
    },
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'app',
      testIgnore: /pages\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${APP_PORT}/` },
    },
    {
      name: 'pages',
      testMatch: /pages\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${PAGES_PORT}${PAGES_PATH}` },
    },
  ],
  webServer: [
    {
      command: `node serve.mjs ../dist ${APP_PORT} /`,
      url: `http://127.0.0.1:${APP_PORT}/`,
      reuseExistingServer: false,
      timeout: 15_000,
    },
    {
      command: `node serve.mjs ../dist-pages ${PAGES_PORT} ${PAGES_PATH}`,
      url: `http://127.0.0.1:${PAGES_PORT}${PAGES_PATH}`,
      reuseExistingServer: false,
      timeout: 15_000,
    },
  ],
});
