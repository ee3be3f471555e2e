import type { Page } from "@playwright/test";
import { expect, test } from "./helpers";
import { signUp, waitForHydration } from "./helpers";

// A merchant makes a link that asks for customer details; returns the payer URL.
async function merchantLink(page: Page): Promise<string> {
  await signUp(page, "Toko Payer");
  // Loaded, and typed into only once hydrated: typing before is lost when it hydrates.
  await page.goto(page.url() + "/new");
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Kelas yoga");
  await page.getByLabel("Item 1 name").fill("Kelas pagi");
  await page.getByLabel("Item 1 quantity").fill("2");
  await page.getByLabel("Item 1 unit price").fill("60.000");
  await page.getByLabel("Ask the payer for name, email and phone").check();
  await page.getByLabel("Max usage").fill("5");
  await page.getByRole("button", { name: "Create payment link" }).click();
  return await page.getByTestId("payer-url").inputValue();
}

async function payWithVaBri(page: Page, url: string, javaScript: boolean) {
  const errors: string[] = [];
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(url);
  await expect(page.getByTestId("payer-total")).toHaveText("Rp 120.000");
  await page.getByLabel("Nama lengkap").fill("Siti Aminah");
  await page.getByLabel("Email").fill("siti@example.com");
  await page.getByLabel("Nomor HP").fill("0812-3456-7890");
  await page.getByLabel("VA BRI").check();
  await page.getByRole("button", { name: "Lanjutkan pembayaran" }).click();
  await expect(page).toHaveURL(/\/pay\/[0-9A-Za-z]{22}\/\d{23}$/);
  await expect(page.getByTestId("attempt-status")).toHaveAttribute("data-status", "pending");
  await expect(page.getByTestId("va-number")).toHaveText(/^\d{4} \d{4} \d{4} \d{4}$/);
  await expect(page.getByTestId("attempt-amount")).toHaveText("Rp 120.000");
  // Coming back to the link shows the same attempt, not a new VA.
  const va = await page.getByTestId("va-number").textContent();
  await page.goto(url);
  await expect(page.getByTestId("va-number")).toHaveText(va!);

  if (javaScript) {
    // A countdown ticks, and a transfer made elsewhere shows up without a reload.
    await expect(page.getByTestId("countdown")).toHaveText(/\d{2}:\d{2}:\d{2}/);
    const paid = await page.request.post("/sandbox/va/pay", {
      data: { va_number: va!.replace(/ /g, ""), amount: 120000 },
    });
    expect(paid.ok()).toBeTruthy();
  } else {
    // Sandbox: simulate the bank transfer with a plain form post.
    await page.getByRole("button", { name: "Simulasikan pembayaran (sandbox)" }).click();
  }
  await expect(page.getByTestId("attempt-status")).toHaveAttribute("data-status", "paid");
  await expect(page.getByTestId("receipt")).toContainText("Rp 120.000");
  await expect(page.getByTestId("receipt")).toContainText("VA BRI");
  expect(errors).toEqual([]);
}

// A payer opens the link in English, gives their details and picks `method`.
async function startInEnglish(p: Page, url: string, method: string) {
  await p.goto(url + "?lang=en");
  await p.getByLabel("Full name").fill("Siti Aminah");
  await p.getByLabel("Email").fill("siti@example.com");
  await p.getByLabel("Phone number").fill("+62 812 3456 7890");
  await p.getByLabel(method).check();
  await p.getByRole("button", { name: "Continue to payment" }).click();
}

test.describe("payer on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("fills customer details and gets a BRI virtual account", async ({ newContext, page }) => {
    const url = await merchantLink(page);
    // An Indonesian phone: Accept-Language picks Bahasa Indonesia.
    const payer = await newContext({ locale: "id-ID", viewport: { width: 390, height: 844 } });
    await payWithVaBri(await payer.newPage(), url, true);
    await payer.close();
  });

  test("the same without JavaScript", async ({ newContext, page }) => {
    const url = await merchantLink(page);
    const payer = await newContext({
      javaScriptEnabled: false,
      locale: "id-ID",
      viewport: { width: 390, height: 844 },
    });
    await payWithVaBri(await payer.newPage(), url, false);
    await payer.close();
  });

  test("a QRIS attempt shows its QR image", async ({ newContext, page }) => {
    const url = await merchantLink(page);
    const payer = await newContext({ viewport: { width: 390, height: 844 } });
    const p = await payer.newPage();
    await startInEnglish(p, url, "QRIS");
    const qr = p.getByTestId("qris-image");
    await expect(qr).toBeVisible();
    // The image may still be loading once visible: wait for its pixels.
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await expect(p.getByText("Waiting for payment")).toBeVisible();
    await payer.close();
  });
});

// The wallet's checkout is a server page, not one of the app's routes: the button must leave
// the app (a full navigation), or the client-side router answers "Page not found".
test("an e-wallet checkout button opens the wallet's page", async ({ newContext, page }) => {
  const url = await merchantLink(page);
  const payer = await newContext({ viewport: { width: 390, height: 844 } });
  const p = await payer.newPage();
  await startInEnglish(p, url, "GoPay");
  await p.getByTestId("checkout-link").click();
  await expect(p).toHaveURL(/\/sandbox\/ewallet\/\d{23}$/);
  await expect(p.getByRole("heading", { name: "GoPay" })).toBeVisible();
  await p.getByRole("button", { name: "Approve payment" }).click();
  await expect(p.getByTestId("attempt-status")).toHaveAttribute("data-status", "paid");
  await payer.close();
});

// A payer reading Indonesian is told about a mistake in Indonesian, beside the field and above
// the form.
test("form errors on the Indonesian payer page are in Indonesian", async ({ newContext, page }) => {
  const url = await merchantLink(page);
  const payer = await newContext({ locale: "id-ID" });
  const p = await payer.newPage();
  await p.goto(url);
  // Typing before the page has hydrated would be lost when it does.
  await p.waitForLoadState("networkidle");
  await p.getByLabel("Nama lengkap").fill("Siti Aminah");
  await p.getByLabel("Email").fill("siti@example.com");
  await p.getByLabel("Nomor HP").fill("0812");
  await p.getByLabel("VA BRI").check();
  await p.getByRole("button", { name: "Lanjutkan pembayaran" }).click();
  await expect(p.locator(".alert-error")).toHaveText("Periksa kembali isian yang ditandai.");
  await payer.close();
});

// A payer who picked a VA but wants QRIS gives the VA up from its page, confirms, and is back
// on the link's page choosing again; the VA no longer takes money.
for (const javaScript of [true, false]) {
  test(`a payer changes their payment method (JavaScript ${javaScript ? "on" : "off"})`, async ({
    newContext,
    page,
  }) => {
    const url = await merchantLink(page);
    const payer = await newContext({ javaScriptEnabled: javaScript, viewport: { width: 390, height: 844 } });
    const p = await payer.newPage();
    await startInEnglish(p, url, "VA BRI");
    await expect(p.getByTestId("attempt-status")).toHaveAttribute("data-status", "pending");
    if (javaScript) {
      await p.locator("main[data-hydrated]").waitFor({ state: "attached" });
    }
    const va = (await p.getByTestId("va-number").textContent())!.replace(/ /g, "");
    // The button only shows once the payer opens the disclosure that says what it does.
    const confirm = p.getByRole("button", { name: "Yes, change method" });
    await expect(confirm).toBeHidden();
    await p.getByText("Change payment method").click();
    await confirm.click();
    await expect(p).toHaveURL(new RegExp(url.replace(/[/.?]/g, "\\$&") + "$"));
    await expect(p.getByRole("button", { name: "Continue to payment" })).toBeVisible();
    const refused = await p.request.post("/sandbox/va/pay", { data: { va_number: va, amount: 120000 } });
    expect(refused.status()).toBe(404);
    // And the new choice gets its own attempt.
    await p.getByLabel("Full name").fill("Siti Aminah");
    await p.getByLabel("Email").fill("siti@example.com");
    await p.getByLabel("Phone number").fill("+62 812 3456 7890");
    await p.getByLabel("QRIS").check();
    await p.getByRole("button", { name: "Continue to payment" }).click();
    await expect(p.getByTestId("qris-image")).toBeVisible();
    await payer.close();
  });
}

// A payer on a slow phone network gets the page, its styles and an inline script: no
// WebAssembly. The front-end files carry their content's hash in their names, so browsers
// keep them a year.
test("a payer's page loads no WebAssembly; front-end files are kept a year", async ({ newContext, page }) => {
  const url = await merchantLink(page);
  const stylesheet = await page.locator("link#leptos").getAttribute("href");
  expect(stylesheet).toMatch(/^\/pkg\/paylinks\.[\w-]+\.css$/);
  const css = await page.request.get(stylesheet!);
  expect(css.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");

  const payer = await newContext({ viewport: { width: 390, height: 844 } });
  const p = await payer.newPage();
  const fetched: string[] = [];
  p.on("request", (request) => fetched.push(new URL(request.url()).pathname));
  await p.goto(url);
  await p.locator("main[data-hydrated]").waitFor({ state: "attached" });
  expect(fetched.filter((path) => /\.(wasm|js)$/.test(path))).toEqual([]);
  expect(fetched).toContain(stylesheet);
  await payer.close();
});
