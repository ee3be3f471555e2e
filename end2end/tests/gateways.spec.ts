import { expect, test } from "./helpers";
import { signUp, waitForHydration } from "./helpers";

// Going live without a gateway for a method means payers are not offered it: with the sandbox
// switched off and no account connected, a link offers nothing; switched back, it does again.
test("the sandbox switch decides what payers are offered", async ({ newContext, page }) => {
  await signUp(page, "Toko Live");
  await page.goto(page.url() + "/new");
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Kopi susu");
  await page.getByLabel("Item 1 name").fill("Kopi susu");
  await page.getByLabel("Item 1 unit price").fill("25.000");
  await page.getByRole("button", { name: "Create payment link" }).click();
  const payerUrl = (await page.getByTestId("payer-url").inputValue()) + "?lang=en";
  const payer = await (await newContext()).newPage();
  await payer.goto(payerUrl);
  await expect(payer.getByLabel("VA BRI")).toBeVisible();

  await page.goto("/developers/gateways");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Payment providers" })).toBeVisible();
  const sandbox = page.getByTestId("sandbox-issues");
  await expect(sandbox).toBeChecked();
  await sandbox.uncheck();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect
    .poll(async () => {
      await payer.goto(payerUrl);
      return await payer.getByLabel("VA BRI").count();
    })
    .toBe(0);
  await expect(payer.getByText("No payment method is available for this link.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("sandbox-issues")).not.toBeChecked();

  await waitForHydration(page);
  await page.getByTestId("sandbox-issues").check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect
    .poll(async () => {
      await payer.goto(payerUrl);
      return await payer.getByLabel("VA BRI").count();
    })
    .toBe(1);
});
