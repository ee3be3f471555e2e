import type { Page } from "@playwright/test";
import { expect, test } from "./helpers";
import { signUp, waitForHydration } from "./helpers";

// A merchant makes a donation link whose payer chooses the amount; returns the payer URL.
async function donationLink(page: Page): Promise<string> {
  await signUp(page, "Yayasan Peduli");
  await page.goto(page.url() + "/new");
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Donasi banjir");
  await page.getByLabel("The payer chooses the amount").check();
  await expect(page.getByLabel("Item 1 name")).toBeHidden();
  await page.getByLabel("Minimum amount (Rp)").fill("10.000");
  await page.getByLabel("Suggested amounts").fill("50.000, 100.000");
  await page.getByLabel("Max usage").fill("0");
  await page.getByRole("button", { name: "Create payment link" }).click();
  await expect(page.getByText("The payer chooses the amount.")).toBeVisible();
  await expect(page.getByTestId("open-minimum")).toHaveText("Rp 10.000");
  return await page.getByTestId("payer-url").inputValue();
}

test("a donor without JavaScript types an amount, is corrected, and pays it", async ({ newContext, page }) => {
  const url = await donationLink(page);
  const donor = await (await newContext({ javaScriptEnabled: false })).newPage();
  await donor.goto(url + "?lang=id");
  await expect(donor.getByLabel("Rp 50.000")).toBeVisible();
  await expect(donor.getByTestId("payer-total")).toHaveCount(0);

  await donor.getByLabel("Jumlah lain (Rp)").fill("5.000");
  await donor.getByLabel("VA BRI").check();
  await donor.getByRole("button", { name: "Lanjutkan pembayaran" }).click();
  await expect(donor.locator('[data-field="amount"]')).toHaveText("Jumlah minimal Rp 10.000.");
  await expect(donor.getByLabel("Jumlah lain (Rp)")).toHaveValue("5.000");

  await donor.getByLabel("Jumlah lain (Rp)").fill("75.000");
  await donor.getByLabel("VA BRI").check();
  await donor.getByRole("button", { name: "Lanjutkan pembayaran" }).click();
  await expect(donor).toHaveURL(/\/pay\/[0-9A-Za-z]{22}\/\d{23}$/);
  await expect(donor.getByTestId("attempt-amount")).toHaveText("Rp 75.000");
  await donor.getByRole("button", { name: "Simulasikan pembayaran (sandbox)" }).click();
  await expect(donor.getByTestId("attempt-status")).toHaveAttribute("data-status", "paid");
  await expect(donor.getByTestId("receipt")).toContainText("Rp 75.000");
});

test("with JavaScript the amount reads as rupiah and only methods that take it stay offered", async ({
  newContext,
  page,
}) => {
  const url = await donationLink(page);
  const donor = await (await newContext()).newPage();
  await donor.goto(url + "?lang=id");
  await expect(donor.locator("main[data-hydrated]")).toBeAttached();
  const typed = donor.getByLabel("Jumlah lain (Rp)");
  await typed.pressSequentially("15000000");
  await expect(typed).toHaveValue("Rp 15.000.000");
  // QRIS takes at most Rp 10.000.000.
  await expect(donor.getByLabel("QRIS")).toBeDisabled();
  await expect(donor.getByLabel("VA BCA")).toBeEnabled();
  // Picking a suggestion clears the typed amount and offers QRIS again.
  await donor.getByLabel("Rp 100.000").check();
  await expect(typed).toHaveValue("");
  await expect(donor.getByLabel("QRIS")).toBeEnabled();
  await donor.getByLabel("QRIS").check();
  await donor.getByRole("button", { name: "Lanjutkan pembayaran" }).click();
  await expect(donor.getByTestId("attempt-amount")).toHaveText("Rp 100.000");
  await expect(donor.getByTestId("qris-image")).toBeVisible();
});
