import { expect, test } from "./helpers";
import { signUp } from "./helpers";

// Text a merchant or payer types is shown, never run: titles and item names full of markup
// render as text on the payer page, and the page's script policy would refuse them anyway.
test("markup in a link's title and items runs nowhere", async ({ newContext, page }) => {
  await signUp(page, "Toko <b>Aman</b>");
  await page.getByRole("link", { name: "New payment link" }).click();
  // Typing before the page's module has hydrated is lost when it does: wait until a click
  // on "+ Add item" adds a row, which only the hydrated page does.
  await expect(async () => {
    await page.getByRole("button", { name: "+ Add item" }).click();
    await expect(page.getByLabel("Item 4 name")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10000 });
  // Then drop the added rows: a new row carries its default quantity, so it is not blank.
  const remove = page.getByRole("button", { name: "Remove item" });
  while ((await remove.count()) > 3) await remove.last().click();
  await expect(remove).toHaveCount(3);
  const title = `</title><script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Item 1 name").fill(`<svg onload="window.__xss = 3">`);
  await page.getByLabel("Item 1 quantity").fill("1");
  await page.getByLabel("Item 1 unit price").fill("50.000");
  await page.getByRole("button", { name: "Create payment link" }).click();
  const url = await page.getByTestId("payer-url").inputValue();
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();

  const payer = await newContext();
  const p = await payer.newPage();
  const dialogs: string[] = [];
  p.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  await p.goto(url + "?lang=en");
  await expect(p.getByText("<svg onload=")).toBeVisible();
  await expect(p).toHaveTitle(/<\/title><script>/);
  expect(await p.evaluate(() => (window as any).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  await payer.close();
});
