import { test as base, BrowserContext, BrowserContextOptions, expect, Page } from "@playwright/test";

// Console lines a test does not fail on: a 4xx answer to a form or a page (a validation error,
// a refused sign-in, a link that is gone) is the app working as meant; and Chromium's note
// that a preloaded page module was not used "within a few seconds" of the load event, which
// only says the machine was slow (the module is used once the page hydrates).
const EXPECTED = [
  /^Failed to load resource: the server responded with a status of 4\d\d/,
  /was preloaded using link preload but not used within a few seconds/,
];

function listen(page: Page, heard: string[]) {
  page.on("console", (message) => {
    const kind = message.type();
    if (kind !== "warning" && kind !== "error") return;
    const text = message.text();
    if (EXPECTED.some((expected) => expected.test(text))) return;
    heard.push(`${kind}: ${text} (${page.url()})`);
  });
  page.on("pageerror", (error) => heard.push(`uncaught: ${error.message} (${page.url()})`));
}

// Every test fails on a console warning or error, or an uncaught exception, in any page of
// its browser context: hydration mismatches and reactive misuse show up there first.
export const test = base.extend<{
  heard: string[];
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
}>({
  heard: async ({}, use) => {
    const heard: string[] = [];
    await use(heard);
    expect(heard, "console warnings and errors").toEqual([]);
  },
  context: async ({ context, heard }, use) => {
    context.on("page", (page) => listen(page, heard));
    await use(context);
  },
  // Another browser (a payer next to the merchant), listened to the same way.
  newContext: async ({ browser, heard }, use) => {
    const opened: BrowserContext[] = [];
    await use(async (options) => {
      const context = await browser.newContext(options);
      context.on("page", (page) => listen(page, heard));
      opened.push(context);
      return context;
    });
    await Promise.all(opened.map((context) => context.close()));
  },
});

export { expect };

// Waits until the dashboard page runs in the browser: typing into a page before it hydrates
// is lost when it does.
export async function waitForHydration(page: Page) {
  await expect(page.locator("main[data-hydrated]")).toBeAttached();
}

// Signs a new merchant up through the form, waits for its links page and returns the email.
export async function signUp(page: Page, businessName: string): Promise<string> {
  const email = `e2e-${Date.now()}-${Math.random()}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Business name").fill(businessName);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/links$/);
  return email;
}
