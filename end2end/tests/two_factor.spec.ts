import { createHmac } from "node:crypto";
import { expect, signUp, test, waitForHydration } from "./helpers";

// The code an authenticator app shows for a base32 secret (RFC 6238: SHA-1, 6 digits, 30 s).
function totp(secret: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of secret.replace(/=+$/, "")) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

test("two-factor sign-in is set up from the Security page and asked at log-in", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await signUp(page, "Toko Dua Faktor");
  const email = await page.locator(".who").innerText();
  await page.getByRole("link", { name: "Security" }).click();
  await expect(page.getByRole("heading", { name: "Sign-in security" })).toBeVisible();
  await expect(page.getByTestId("sessions")).toContainText("This browser");

  // Clicked before the page has hydrated, the button posts its form and the page comes back
  // without the new secret; clicking again and again on a slow machine would only restart
  // the loading each time.
  await waitForHydration(page);
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByTestId("totp-secret")).toBeVisible();
  const secret = await page.getByTestId("totp-secret").innerText();
  await page.getByLabel("Code from the app").fill(totp(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByText("Keep these recovery codes somewhere safe")).toBeVisible();
  await expect(page.locator(".recovery-codes li")).toHaveCount(10);

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(email.split(" · ")[1]);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByText("Enter the 6-digit code")).toBeVisible();
  // A fresh step: the code that turned it on cannot sign in again.
  const next = Date.now() + 30_000;
  await page.waitForTimeout(Math.max(0, Math.floor(next / 30_000) * 30_000 - Date.now() + 200));
  await page.getByLabel("Two-factor code").fill(totp(secret));
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/links$/);
  expect(errors).toEqual([]);
});
