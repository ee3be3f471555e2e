import { expect, signUp, test, waitForHydration } from "./helpers";

// A merchant switches the dashboard to Indonesian: its pages and the form's field errors
// speak it, the page still hydrates cleanly (the fixture fails on a mismatch warning), and
// the choice follows them when they sign in from another browser set to English.
test("dashboard switched to Indonesian", async ({ page, newContext }) => {
  const email = await signUp(page, "Toko Bahasa");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Bahasa Indonesia" }).click();

  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page.getByRole("heading", { name: "Belum ada link pembayaran" })).toBeVisible();
  await expect(page.locator("nav.topnav").getByRole("link", { name: "Link pembayaran" })).toBeVisible();
  await waitForHydration(page);

  await page.getByRole("link", { name: "Link pembayaran baru" }).click();
  await expect(page.getByRole("heading", { name: "Link pembayaran baru" })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Judul").fill("Sewa tenda");
  await page.getByLabel("Nama item 1").fill("Tenda");
  await page.getByLabel("Kuantitas item 1").fill("1");
  await page.getByLabel("Harga satuan item 1").fill("5.000");
  await page.getByRole("button", { name: "Buat link pembayaran" }).click();
  await expect(page.locator('[data-field="total_amount"]')).toContainText("Total harus antara Rp 10.000");

  // Another browser, set to English, signs in as the same merchant: Indonesian, as chosen.
  const elsewhere = await (await newContext({ locale: "en-US" })).newPage();
  await elsewhere.goto("/login");
  await expect(elsewhere.locator("html")).toHaveAttribute("lang", "en");
  await elsewhere.getByLabel("Email").fill(email);
  await elsewhere.getByLabel("Password").fill("correct horse battery");
  await elsewhere.getByRole("button", { name: "Log in" }).click();
  await expect(elsewhere.getByRole("heading", { name: "Belum ada link pembayaran" })).toBeVisible();

  // And back to English.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "New payment link" })).toBeVisible();
});

// Before anyone chooses, a browser that asks for Indonesian gets Indonesian from the first page.
test("a browser asking for Indonesian signs in in Indonesian", async ({ newContext }) => {
  const page = await (await newContext({ locale: "id-ID" })).newPage();
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page.getByRole("button", { name: "Masuk" })).toBeVisible();
  await page.goto("/signup");
  await expect(page.getByLabel("Nama usaha")).toBeVisible();
  await expect(page.getByRole("button", { name: "Buat akun" })).toBeVisible();
});
