/**
 * GraphiQL works in a browser with no internet access: the admin endpoint and a project
 * endpoint render it from self-hosted assets, and a query typed into it runs.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlog } from '../fixtures/blog.js';
import { launchChromium } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('GraphiQL in headless Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let token: string;
  const external: string[] = [];

  beforeAll(async () => {
    s = await startTestServer('pglite');
    token = await s.signInAdmin();
    await createBlog(s, token);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function open(path: string, headers: Record<string, string> = {}): Promise<Page> {
    const page = await browser.newPage({ extraHTTPHeaders: headers });
    // offline: anything not served by KoyaLite itself is refused and recorded
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(s.url)) return route.continue();
      external.push(url);
      return route.abort();
    });
    await page.goto(`${s.url}${path}`);
    return page;
  }

  it('renders on /admin/graphql from self-hosted assets and runs a query', async () => {
    // GraphiQL takes the initial query from the URL, as a shared link would
    const page = await open(`/admin/graphql?query=${encodeURIComponent('{ __typename }')}`);
    await page.locator('.graphiql-container').first().waitFor({ timeout: 30_000 });
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(async () => (await page.locator('.graphiql-response').first().innerText()).replace(/\s+/g, ''), { timeout: 15_000 })
      .toContain('"data":{"__typename":"Query"}');
    expect(external).toEqual([]);
    await page.close();
  });

  it('renders on a project endpoint', async () => {
    const page = await open('/projects/blog/graphql', { authorization: `Bearer ${token}` });
    await page.locator('.graphiql-container').first().waitFor({ timeout: 30_000 });
    expect(await page.title()).toContain('blog');
    expect(external).toEqual([]);
    await page.close();
  });
});
