import type { BrowserContext, BrowserContextOptions, Page } from "@playwright/test";
import { expect, test } from "./helpers";
import { signUp } from "./helpers";
import { readFile } from "node:fs/promises";

// A merchant with one link: one payer pays by VA BRI, another leaves a QRIS attempt open.
async function merchantWithPayments(
  page: Page,
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>,
) {
  await signUp(page, "Toko Laporan");
  await page.getByRole("link", { name: "New payment link" }).click();
  await page.getByLabel("Title").fill("Kelas yoga");
  await page.getByLabel("Item 1 name").fill("Kelas pagi");
  await page.getByLabel("Item 1 quantity").fill("2");
  await page.getByLabel("Item 1 unit price").fill("60.000");
  await page.getByLabel("Max usage").fill("5");
  await page.getByRole("button", { name: "Create payment link" }).click();
  const url = await page.getByTestId("payer-url").inputValue();

  for (const method of ["VA BRI", "QRIS"]) {
    const payer = await newContext({ viewport: { width: 390, height: 844 } });
    const p = await payer.newPage();
    await p.goto(url + "?lang=en");
    await p.getByLabel(method).check();
    await p.getByRole("button", { name: "Continue to payment" }).click();
    await expect(p).toHaveURL(/\/pay\/[0-9A-Za-z]{22}\/\d{23}/);
    if (method === "VA BRI") {
      const va = (await p.getByTestId("va-number").textContent())!.replace(/ /g, "");
      const paid = await p.request.post("/sandbox/va/pay", { data: { va_number: va, amount: 120000 } });
      expect(paid.ok()).toBeTruthy();
    }
    await payer.close();
  }
}

test("filter the payments table, export it as CSV and see the revenue chart", async ({ newContext, page }) => {
  const errors: string[] = [];
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  page.on("pageerror", (err) => errors.push(err.message));
  await merchantWithPayments(page, newContext);

  await page.getByRole("link", { name: "Payments", exact: true }).click();
  await expect(page).toHaveURL(/\/payments$/);
  await expect(page.getByTestId("payments").locator("tbody tr")).toHaveCount(2);
  await page.getByLabel("Status").selectOption("paid");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=paid/);
  await expect(page.getByTestId("payments").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("totals")).toContainText("1 payments · 1 paid · gross Rp 120.000");

  await page.getByRole("button", { name: "Export CSV" }).click();
  await expect(page).toHaveURL(/\/exports$/);
  const download = page.getByRole("link", { name: "Download" });
  await expect(download).toBeVisible({ timeout: 20_000 });
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  const csv = await readFile((await file.path())!, "utf8");
  const lines = csv.trim().split("\n");
  expect(lines[0]).toContain("reff_no,payment_link_reff_no");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(",120000,");
  expect(lines[1]).toContain(",paid,");

  await page.getByRole("link", { name: "Overview" }).click();
  const chart = page.getByTestId("revenue-chart");
  await expect(chart).toBeVisible();
  await expect(chart.locator("rect.bar")).toHaveCount(30);
  const today = chart.locator("rect.bar").last();
  expect(Number(await today.getAttribute("height"))).toBeGreaterThan(100);
  await expect(page.getByTestId("kpi").first()).toContainText("Rp 120.000");
  expect(errors).toEqual([]);
});
