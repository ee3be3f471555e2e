import { expect, signUp, test, waitForHydration } from "./helpers";

// A merchant gives part of a paid payment back from the payment's page, after ticking the
// confirmation; the page then shows the refund and the payment as partially refunded.
test("a partial refund from the payment's page", async ({ newContext, page }) => {
  await signUp(page, "Toko Retur");
  const account = page.url().match(/\/accounts\/([0-9A-Z]{26})\//)![1];
  await page.goto(page.url() + "/new");
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Sepatu lari");
  await page.getByLabel("Item 1 name").fill("Sepatu lari");
  await page.getByLabel("Item 1 unit price").fill("300.000");
  await page.getByRole("button", { name: "Create payment link" }).click();
  const url = await page.getByTestId("payer-url").inputValue();

  const payer = await (await newContext()).newPage();
  await payer.goto(url + "?lang=en");
  await payer.getByLabel("VA BNI").check();
  await payer.getByRole("button", { name: "Continue to payment" }).click();
  const va = (await payer.getByTestId("va-number").textContent())!.replace(/ /g, "");
  const paid = await payer.request.post("/sandbox/va/pay", { data: { va_number: va, amount: 300000 } });
  expect(paid.ok()).toBeTruthy();

  await page.goto(`/accounts/${account}/payments`);
  await page.getByRole("link", { name: /^\d{23}$/ }).first().click();
  await expect(page).toHaveURL(/\/payments\/\d+$/);
  await waitForHydration(page);
  const refunds = page.getByTestId("refunds");
  await refunds.getByLabel(/Amount to refund/).fill("75.000");
  await refunds.getByLabel("Reason (optional)").fill("Satu ukuran salah");
  await refunds.getByRole("button", { name: "Refund" }).click();
  // Not without the confirmation: nothing is refunded yet.
  await expect(refunds.getByText("Tick to confirm the refund.")).toBeVisible();
  await expect(refunds.getByTestId("refund")).toHaveCount(0);

  await refunds.getByLabel("I want to give this money back to the payer").check();
  await refunds.getByRole("button", { name: "Refund" }).click();
  await expect(refunds.getByTestId("refund")).toHaveCount(1);
  await expect(refunds.getByTestId("refund")).toContainText("Rp 75.000");
  await expect(refunds.getByTestId("refund")).toContainText("succeeded");
  await expect(page.getByTestId("payment-refunded")).toHaveText("Rp 75.000 (partially refunded)");
  await expect(refunds.getByLabel(/Amount to refund/)).toHaveValue("225000");
});
