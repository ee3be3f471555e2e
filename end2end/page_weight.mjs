// What a payer on a cheap phone over slow 3G gets: bytes on the wire, first contentful paint
// and the moment the page is interactive (its inline script has wired the buttons, countdown
// and live status: `main[data-hydrated]`), for the payer page and an attempt page, cold and
// again with the browser's cache. Prints figures beside the targets; it is a measurement, not
// a test, and always exits 0 once it has measured.
//
//   node end2end/page_weight.mjs [base URL, default http://127.0.0.1:3000]
//
// Needs a running app (`make run`) and Debian's chromium (CHROMIUM_PATH to use another).
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
// Slow 3G as the issue measured it: 400 ms latency, 400 kbit/s each way.
const THROTTLE = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const TARGETS = { bytes: 150 * 1024, fcpMs: 1500, interactiveMs: 5000 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});

// A merchant with one link, made through the dashboard as a merchant would.
async function payerUrl() {
  const page = await browser.newPage();
  await page.goto(`${base}/signup`);
  await page.getByLabel("Business name").fill("Toko Ukur");
  await page.getByLabel("Email").fill(`ukur-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/links$/);
  await page.goto(page.url() + "/new");
  await page.locator("main[data-hydrated]").waitFor({ state: "attached" });
  await page.getByLabel("Title").fill("Kaos polos");
  await page.getByLabel("Item 1 name").fill("Kaos");
  await page.getByLabel("Item 1 quantity").fill("1");
  await page.getByLabel("Item 1 unit price").fill("125.000");
  await page.getByLabel("Max usage").fill("1000");
  await page.getByRole("button", { name: "Create payment link" }).click();
  const url = await page.getByTestId("payer-url").inputValue();
  await page.close();
  return url;
}

// Loads `url` in `page` under the throttle; the bytes received, FCP and time to interactive.
async function measure(page, url, interactive) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", THROTTLE);
  let bytes = 0;
  let requests = 0;
  // Answered from the browser's cache (the icon's own cache reports no bytes at all): not
  // counted as a request on the wire.
  const cached = new Set();
  cdp.on("Network.requestServedFromCache", (event) => cached.add(event.requestId));
  cdp.on("Network.loadingFinished", (event) => {
    bytes += event.encodedDataLength;
    if (!cached.has(event.requestId) && event.encodedDataLength > 0) requests += 1;
  });
  const started = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  await page.locator(interactive).waitFor({ state: "attached", timeout: 600_000 });
  const interactiveMs = Date.now() - started;
  await page.waitForLoadState("networkidle", { timeout: 600_000 });
  const fcpMs = await page.evaluate(
    () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
  );
  await cdp.detach();
  return { bytes, requests, fcpMs: Math.round(fcpMs), interactiveMs };
}

function report(name, figures) {
  const kb = (figures.bytes / 1024).toFixed(1);
  const mark = (ok) => (ok ? "ok" : "over target");
  console.log(
    `${name.padEnd(28)} ${String(kb).padStart(9)} KB in ${String(figures.requests).padStart(3)} requests` +
      ` (${mark(figures.bytes <= TARGETS.bytes)}),` +
      ` first paint ${figures.fcpMs} ms (${mark(figures.fcpMs <= TARGETS.fcpMs)}),` +
      ` interactive ${figures.interactiveMs} ms (${mark(figures.interactiveMs <= TARGETS.interactiveMs)})`,
  );
}

const url = await payerUrl();
const payer = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "id-ID" });
const page = await payer.newPage();
console.log(`payer page ${url}, throttled to 400 ms / 400 kbit/s; targets: < 150 KB, paint < 1.5 s, interactive < 5 s`);
report("payer page, cold", await measure(page, url, "main[data-hydrated]"));
report("payer page, cached", await measure(page, url, "main[data-hydrated]"));

// An attempt page: the payer picks a VA.
await page.getByLabel("VA BRI").check();
await page.getByRole("button", { name: "Lanjutkan pembayaran" }).click();
await page.waitForURL(/\/pay\/[^/]+\/\d+$/);
const attempt = page.url();
const fresh = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
report("attempt page, cold", await measure(fresh, attempt, "main[data-hydrated]"));
report("attempt page, cached", await measure(fresh, attempt, "main[data-hydrated]"));
await browser.close();
