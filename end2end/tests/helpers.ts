import { expect, Page } from "@playwright/test";

// Signs a new merchant up through the form and waits for its links page.
export async function signUp(page: Page, businessName: string) {
  await page.goto("/signup");
  await page.getByLabel("Business name").fill(businessName);
  await page.getByLabel("Email").fill(`e2e-${Date.now()}-${Math.random()}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/links$/);
}
