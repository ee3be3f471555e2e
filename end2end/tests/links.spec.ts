import { expect, signUp, test, waitForHydration } from "./helpers";

// A merchant signs up, creates a link with two items and finds it with the right total,
// its payer URL and its QR image.
test("sign up, create a two-item link, see it listed and shared", async ({ page }) => {
  const email = `e2e-${Date.now()}@example.com`;

  await page.goto("/signup");
  await page.getByLabel("Business name").fill("Toko Playwright");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/accounts\/[0-9A-Z]{26}\/links$/);
  await expect(page.getByRole("heading", { name: "No payment links yet" })).toBeVisible();

  await page.getByRole("link", { name: "New payment link" }).click();
  await expect(page.getByRole("heading", { name: "New payment link" })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Kaos dan topi");
  await page.getByLabel("Item 1 name").fill("Kaos");
  await page.getByLabel("Item 1 quantity").fill("2");
  await page.getByLabel("Item 1 unit price").fill("75.000");
  await page.getByLabel("Item 2 name").fill("Topi");
  await page.getByLabel("Item 2 quantity").fill("1");
  await page.getByLabel("Item 2 unit price").fill("50000");
  // The live total follows the rows (hydrated page).
  await expect(page.getByTestId("live-total")).toHaveText("Rp 200.000");
  await page.getByRole("button", { name: "Create payment link" }).click();

  await expect(page.getByRole("heading", { name: /Kaos dan topi/ })).toBeVisible();
  await expect(page.getByTestId("link-total")).toHaveText("Rp 200.000");
  const payerUrl = await page.getByTestId("payer-url").inputValue();
  expect(payerUrl).toMatch(/\/pay\/[0-9A-Za-z]{22}$/);
  const qr = page.getByRole("img", { name: "QR code of the payer URL" });
  await expect(qr).toBeVisible();
  // The image may still be loading once visible: wait for its pixels.
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  // The share card holds its URL, links and QR: it is taller than them and ends before the
  // next card starts (a rule for the usage bar once squeezed it to 10 px).
  const share = page.locator("section.share");
  const shareBox = (await share.boundingBox())!;
  const qrBox = (await qr.boundingBox())!;
  expect(shareBox.y + shareBox.height).toBeGreaterThanOrEqual(qrBox.y + qrBox.height);
  const nextBox = (await share.locator("xpath=following-sibling::section[1]").boundingBox())!;
  expect(nextBox.y).toBeGreaterThanOrEqual(shareBox.y + shareBox.height);

  await page.getByRole("link", { name: "Payment links" }).click();
  const row = page.getByRole("row", { name: /Kaos dan topi/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Rp 200.000");
  await expect(row).toContainText("Open");
});

// The dashboard's forms are plain forms underneath: with JavaScript off the merchant can still
// sign up, create a link and see a field error.
test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign up and create a link through plain form posts", async ({ page }) => {
    const email = `nojs-${Date.now()}@example.com`;
    await page.goto("/signup");
    await page.getByLabel("Business name").fill("Toko Tanpa JS");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/accounts\/[0-9A-Z]{26}\/links$/);

    await page.getByRole("link", { name: "New payment link" }).click();
    // A mistake first: the error comes back on the form, naming the field.
    await page.getByLabel("Title").fill("Sewa alat");
    await page.getByLabel("Item 1 name").fill("Tenda");
    await page.getByLabel("Item 1 quantity").fill("1");
    await page.getByLabel("Item 1 unit price").fill("5.000");
    await page.getByRole("button", { name: "Create payment link" }).click();
    await expect(page.locator('[data-field="total_amount"]')).toContainText("between Rp 10.000");

    await page.getByLabel("Title").fill("Sewa alat");
    await page.getByLabel("Item 1 name").fill("Tenda");
    await page.getByLabel("Item 1 quantity").fill("3");
    await page.getByLabel("Item 1 unit price").fill("25.000");
    await page.getByRole("button", { name: "Create payment link" }).click();
    await expect(page.getByTestId("link-total")).toHaveText("Rp 75.000");
  });
});

test("dashboard pages hydrate without console errors", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto("/signup");
  await page.getByLabel("Business name").fill("Toko Konsol");
  await page.getByLabel("Email").fill(`console-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/links$/);
  await page.reload();
  await page.getByRole("link", { name: "New payment link" }).click();
  // Reached by a full load when the click beat hydration: a click on the button before its
  // page module has loaded and hydrated does nothing, so click until a row is added.
  await expect(async () => {
    await page.getByRole("button", { name: "+ Add item" }).click();
    await expect(page.getByLabel("Item 4 name")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10000 });
  await page.goto("/accounts");
  await expect(page.getByRole("heading", { name: "Accounts" })).toBeVisible();
  expect(errors).toEqual([]);
});

// The account switcher lists an account as soon as it is created, without a reload.
test("a new account shows in the account switcher at once", async ({ page }) => {
  await signUp(page, "Toko Cabang");
  await page.goto("/accounts");
  await waitForHydration(page);
  await page.getByLabel("Name", { exact: true }).fill("Cabang Bandung");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("table").getByRole("link", { name: "Cabang Bandung", exact: true })).toBeVisible();
  await page.locator(".account-switcher summary").click();
  await expect(page.locator(".account-switcher").getByRole("link", { name: "Cabang Bandung" })).toBeVisible();
});
