import type { Page } from "@playwright/test";
import { expect, test } from "./helpers";
import { signUp, waitForHydration } from "./helpers";

// A merchant makes a Rp 120.000 link that asks the payer nothing; returns the payer URL.
async function merchantLink(page: Page): Promise<string> {
  await signUp(page, "Toko Ritel");
  // Loaded, and typed into only once hydrated: typing before is lost when it hydrates.
  await page.goto(page.url() + "/new");
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Kelas yoga");
  await page.getByLabel("Item 1 name").fill("Kelas pagi");
  await page.getByLabel("Item 1 quantity").fill("2");
  await page.getByLabel("Item 1 unit price").fill("60.000");
  await page.getByLabel("Max usage").fill("5");
  await page.getByRole("button", { name: "Create payment link" }).click();
  return await page.getByTestId("payer-url").inputValue();
}

// A payer picks Indomaret, reads the code and the cashier's steps, and the sandbox pays it.
test("a payer takes an Indomaret payment code to the cashier", async ({ newContext, page }) => {
  const url = await merchantLink(page);
  const payer = await newContext({ locale: "id-ID", viewport: { width: 390, height: 844 } });
  const p = await payer.newPage();
  await p.goto(url);
  await expect(p.getByRole("heading", { name: "Tunai di gerai ritel" })).toBeVisible();
  await p.getByLabel("Indomaret").check();
  await p.getByRole("button", { name: "Lanjutkan pembayaran" }).click();
  await expect(p).toHaveURL(/\/pay\/[0-9A-Za-z]{22}\/\d{23}$/);
  await expect(p.getByTestId("attempt-status")).toHaveAttribute("data-status", "pending");

  // The sandbox's Indomaret codes are 12 digits, shown in groups of four.
  const shown = p.getByTestId("payment-code");
  await expect(shown).toHaveText(/^9981 \d{4} \d{4}$/);
  const code = (await shown.textContent())!.replace(/ /g, "");
  await expect(p.getByText("Kode pembayaran Indomaret")).toBeVisible();
  await expect(p.getByTestId("attempt-amount")).toHaveText("Rp 120.000");
  await expect(p.getByText("Bayar sebelum")).toBeVisible();

  // The steps sit behind their outlet's disclosure.
  await p.getByText("Di kasir Indomaret").click();
  await expect(p.getByText("Sampaikan ke kasir bahwa Anda ingin membayar tagihan Toko Ritel.")).toBeVisible();
  await expect(p.getByText(`Tunjukkan kode pembayaran ${code} kepada kasir.`)).toBeVisible();
  await expect(p.getByText("Bayar Rp 120.000 secara tunai.")).toBeVisible();

  await p.getByRole("button", { name: "Simulasikan pembayaran (sandbox)" }).click();
  await expect(p.getByTestId("attempt-status")).toHaveAttribute("data-status", "paid");
  await expect(p.getByTestId("payment-code")).toHaveCount(0);
  await expect(p.getByTestId("receipt")).toContainText("Indomaret");
  await expect(p.getByTestId("receipt")).toContainText("Rp 120.000");

  // The code is spent: the till finds nothing to pay.
  const again = await p.request.post("/sandbox/retail/pay", { data: { payment_code: code } });
  expect(again.status()).toBe(404);
  await payer.close();
});
