import { expect, test } from "./helpers";
import { signUp, waitForHydration } from "./helpers";
import { readFile } from "node:fs/promises";

test("a payer answers the link's questions and the answers reach the CSV", async ({ newContext, page }) => {
  await signUp(page, "Lari Pagi");
  await page.goto(page.url() + "/new");
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Lari 10K");
  await page.getByLabel("Item 1 name").fill("Pendaftaran");
  await page.getByLabel("Item 1 quantity").fill("1");
  await page.getByLabel("Item 1 unit price").fill("150.000");
  await page.getByLabel("Max usage").fill("0");
  await page.getByLabel("Question 1 (Indonesian)").fill("Ukuran kaos");
  await page.getByLabel("Question 1 in English (optional)").fill("T-shirt size");
  await page.getByLabel("Question 1 answer type").selectOption("choice");
  await page.getByLabel("Question 1 options").fill("S, M, L");
  await page.getByLabel("Question 1 must be answered").check();
  await page.getByRole("button", { name: "Create payment link" }).click();
  await expect(page.getByText("Ukuran kaos (one of S, M, L, required)")).toBeVisible();
  const url = await page.getByTestId("payer-url").inputValue();

  const payer = await (await newContext({ javaScriptEnabled: false })).newPage();
  await payer.goto(url + "?lang=en");
  await payer.getByLabel("VA BRI").check();
  // The browser itself holds back a form missing a required answer (the server refuses it
  // by name too: tests/app/custom_fields.rs).
  await payer.getByRole("button", { name: "Continue to payment" }).click();
  await expect(payer).toHaveURL(url + "?lang=en");
  await payer.getByLabel("T-shirt size").selectOption("M");
  await payer.getByLabel("VA BRI").check();
  await payer.getByRole("button", { name: "Continue to payment" }).click();
  await payer.getByRole("button", { name: "Simulate payment (sandbox)" }).click();
  await expect(payer.getByTestId("attempt-status")).toHaveAttribute("data-status", "paid");

  await page.getByRole("link", { name: "Payments", exact: true }).click();
  await expect(page.getByTestId("answers")).toHaveText("Ukuran kaos: M");
  await page.getByRole("button", { name: "Export CSV" }).click();
  await expect(page).toHaveURL(/\/exports$/);
  const download = page.getByRole("link", { name: "Download" });
  await expect(download).toBeVisible({ timeout: 20_000 });
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  const lines = (await readFile((await file.path())!, "utf8")).trim().split("\n");
  expect(lines[0]).toMatch(/,custom_fields$/);
  expect(lines[1]).toMatch(/,Ukuran kaos: M$/);
});
