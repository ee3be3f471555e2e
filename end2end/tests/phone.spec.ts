import { expect, signUp, test } from "./helpers";

// Merchants check their payments on their phones: every dashboard page fits a 390 px screen
// (wide tables scroll inside themselves; the page itself never scrolls sideways).
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test("every dashboard page fits a 390 px phone", async ({ newContext, page }) => {
  await signUp(page, "Toko Ponsel Dengan Nama Usaha Yang Cukup Panjang");
  const account = page.url().match(/\/accounts\/([0-9A-Z]{26})\//)![1];

  await page.getByRole("link", { name: "New payment link" }).click();
  await page.getByLabel("Title").fill("Kelas yoga pagi di taman kota setiap hari Minggu");
  await page.getByLabel("Item 1 name").fill("Kelas pagi");
  await page.getByLabel("Item 1 quantity").fill("2");
  await page.getByLabel("Item 1 unit price").fill("60.000");
  await page.getByLabel("Max usage").fill("5");
  await page.getByRole("button", { name: "Create payment link" }).click();
  const url = await page.getByTestId("payer-url").inputValue();
  const linkPage = page.url();

  // One paid VA, so the payments table and a payment's page have a row to show.
  const payer = await newContext({ viewport: { width: 390, height: 844 } });
  const p = await payer.newPage();
  await p.goto(url + "?lang=en");
  await p.getByLabel("VA BRI").check();
  await p.getByRole("button", { name: "Continue to payment" }).click();
  const va = (await p.getByTestId("va-number").textContent())!.replace(/ /g, "");
  expect((await p.request.post("/sandbox/va/pay", { data: { va_number: va, amount: 120000 } })).ok()).toBeTruthy();

  await page.goto("/developers");
  await page.getByRole("button", { name: "Create a credential" }).click();
  await expect(page.getByRole("cell", { name: "Active", exact: true }).first()).toBeVisible();
  await page.goto("/team");
  await page.getByLabel("Email").fill("kasir.toko.ponsel@example.com");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  await expect(page.getByText("kasir.toko.ponsel@example.com").first()).toBeVisible();

  await page.goto(`/accounts/${account}/payments`);
  await page.getByRole("link", { name: /^\d{23}$/ }).first().click();
  await expect(page).toHaveURL(/\/payments\/\d+$/);
  const paymentPage = page.url();

  const pages = [
    `/accounts/${account}/overview`,
    `/accounts/${account}/links`,
    `/accounts/${account}/links/new`,
    linkPage,
    `${linkPage}/edit`,
    `/accounts/${account}/payments`,
    paymentPage,
    `/accounts/${account}/exports`,
    "/accounts",
    "/developers",
    "/developers/webhooks",
    "/developers/gateways",
    "/team",
    "/security",
    "/audit",
  ];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.locator("main h1").first()).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(390);
  }

  // The chart's labels stay inside it: none cut off at the top or the right edge.
  await page.goto(`/accounts/${account}/overview`);
  const clipped = await page.locator("svg.chart").evaluate((svg) => {
    const frame = svg.getBoundingClientRect();
    return Array.from(svg.querySelectorAll("text"))
      .map((text) => ({ text: text.textContent, box: text.getBoundingClientRect() }))
      .filter(({ box }) => box.top < frame.top - 0.5 || box.right > frame.right + 0.5)
      .map(({ text }) => text);
  });
  expect(clipped).toEqual([]);
});
