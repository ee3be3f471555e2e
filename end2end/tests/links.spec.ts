import { expect, test } from "@playwright/test";

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
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await page.getByRole("link", { name: "Payment links" }).click();
  const row = page.getByRole("row", { name: /Kaos dan topi/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Rp 200.000");
  await expect(row).toContainText("Open");
});
