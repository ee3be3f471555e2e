import type { Page } from "@playwright/test";
import { expect, test } from "./helpers";
import { signUp, waitForHydration } from "./helpers";

// A merchant sells 5 seats at Rp 50.000, up to 3 per buyer; returns the payer URL.
async function ticketLink(page: Page): Promise<string> {
  await signUp(page, "Konser Jazz");
  await page.goto(page.url() + "/new");
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Tiket konser");
  await page.getByLabel("Item 1 name").fill("Tiket");
  await page.getByLabel("Item 1 quantity").fill("1");
  await page.getByLabel("Item 1 unit price").fill("50.000");
  await page.getByLabel("Item 1 maximum quantity per payer").fill("3");
  await page.getByLabel("Max usage").fill("0");
  await page.getByLabel("Stock, in units").fill("5");
  await page.getByRole("button", { name: "Create payment link" }).click();
  await expect(page.getByTestId("stock")).toHaveText("0 of 5 units sold");
  return await page.getByTestId("payer-url").inputValue();
}

test("buyers choose how many seats; the stock is never oversold", async ({ newContext, page }) => {
  const url = await ticketLink(page);

  const first = await (await newContext()).newPage();
  await first.goto(url + "?lang=en");
  await expect(first.locator("main[data-hydrated]")).toBeAttached();
  await first.getByLabel("Quantity").fill("3");
  await expect(first.getByTestId("payer-total")).toHaveText("Rp 150.000");
  await first.getByLabel("VA BNI").check();
  await first.getByRole("button", { name: "Continue to payment" }).click();
  await expect(first.getByTestId("attempt-amount")).toHaveText("Rp 150.000");

  // Two seats are left: three are refused with the reason, two are taken (without JavaScript).
  const second = await (await newContext({ javaScriptEnabled: false })).newPage();
  await second.goto(url + "?lang=en");
  await second.getByLabel("Quantity").fill("3");
  await second.getByLabel("VA BNI").check();
  await second.getByRole("button", { name: "Continue to payment" }).click();
  await expect(second.getByRole("alert")).toContainText("Not enough left for this quantity");
  await second.getByLabel("Quantity").fill("2");
  await second.getByLabel("VA BNI").check();
  await second.getByRole("button", { name: "Continue to payment" }).click();
  await expect(second.getByTestId("attempt-amount")).toHaveText("Rp 100.000");
  await second.getByRole("button", { name: "Simulate payment (sandbox)" }).click();
  await expect(second.getByTestId("attempt-status")).toHaveAttribute("data-status", "paid");

  await page.reload();
  await expect(page.getByTestId("stock")).toHaveText("2 of 5 units sold");
});
