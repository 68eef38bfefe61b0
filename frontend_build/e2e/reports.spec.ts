// PDF reports printed in the background: Jiaxing's office prints the county ranking report from
// the dashboard (progress, then the download starts: a PDF) and finds it on the reports page;
// the province office saves a new version of the report letterhead.
import { expect, test } from "@playwright/test";
import { mkdirSync, readFileSync } from "node:fs";
import { shoot, signIn, signOut } from "./support";

const COUNTY_2026 = "2026年度县（市、区）安全生产工作考核";
const SHOTS = "/tmp/shots";

test("a city office prints the ranking report and finds it among the reports", async ({ page }) => {
  // Printing waits for the worker: on a loaded machine that is seconds, not milliseconds.
  test.setTimeout(180_000);
  mkdirSync(SHOTS, { recursive: true });
  await signIn(page, "jx-office");
  await page.getByRole("menuitem", { name: "排名看板" }).click();
  await expect(page.getByRole("heading", { name: "排名看板" })).toBeVisible();
  await page.getByLabel("考核周期").click();
  await page.getByTitle(COUNTY_2026, { exact: true }).click();
  await expect(page).toHaveURL(/cycle=/);

  const print = page.getByRole("button", { name: "打印排名报告（PDF）" });
  await expect(print).toBeEnabled();
  const download = page.waitForEvent("download", { timeout: 120_000 });
  await print.click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = readFileSync((await file.path())!);
  expect(bytes.subarray(0, 4).toString("latin1")).toBe("%PDF");
  await expect(page.getByRole("status").getByText("已生成，下载已开始")).toBeVisible();
  await expect(page.getByRole("link", { name: "再次下载" })).toBeVisible();

  // The accident and hazard statistics of the city, this year so far, likewise.
  await page.goto("/ledgers/accidents");
  const statistics = page.locator(".ant-card").filter({ hasText: "事故同比统计" });
  const printStatistics = statistics.getByRole("button", { name: "打印统计报告（PDF）" });
  await expect(printStatistics).toBeEnabled();
  const second = page.waitForEvent("download", { timeout: 120_000 });
  await printStatistics.click();
  const statisticsFile = await second;
  expect(readFileSync((await statisticsFile.path())!).subarray(0, 4).toString("latin1")).toBe("%PDF");
  await expect(statistics.getByRole("link", { name: "再次下载" })).toBeVisible();

  // The reports page lists both, printed, newest first, with their files.
  await page.getByRole("menuitem", { name: /(^|\s)报告$/ }).click();
  await expect(page.getByRole("heading", { name: "报告" })).toBeVisible();
  await expect(page.getByRole("row", { name: /事故隐患统计/ }).first()).toContainText("已生成");
  const row = page.getByRole("row", { name: /排名报告/ }).first();
  await expect(row).toContainText("已生成");
  await expect(row).toContainText("中文");
  const link = row.getByRole("link", { name: "下载" });
  await expect(link).toHaveAttribute("title", /\.pdf$/);
  const again = page.waitForEvent("download", { timeout: 60_000 });
  await link.click();
  expect(readFileSync((await (await again).path())!).subarray(0, 4).toString("latin1")).toBe("%PDF");
  await shoot(page, "92-reports");
  await page.screenshot({ path: `${SHOTS}/reports.png`, fullPage: true });
  await page.getByText("English", { exact: true }).click();
  await expect(page.getByRole("heading", { name: "Reports" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Ranking report/ }).first()).toContainText("Printed");
  await page.screenshot({ path: `${SHOTS}/reports-en.png`, fullPage: true });
  await page.getByText("中文", { exact: true }).click();

  // A city office sets no letterhead: the province's admins do.
  await expect(page.getByRole("menuitem", { name: "报告版式" })).toHaveCount(0);
  await signOut(page);
});

test("the province office saves a new version of the report letterhead", async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(SHOTS, { recursive: true });
  await signIn(page, "zj-office");
  await page.getByRole("menuitem", { name: "报告版式" }).click();
  await expect(page.getByRole("heading", { name: "报告版式" })).toBeVisible();

  // The version read: none yet (0), or the one the page says is current.
  const banner = page.getByRole("alert").filter({ hasText: /当前为第 \d+ 版|尚未设置版式/ });
  await expect(banner).toBeVisible();
  const read = Number(/当前为第 (\d+) 版/.exec((await banner.textContent()) ?? "")?.[1] ?? 0);

  const issuer = `浙江省安全生产委员会办公室（e2e ${Date.now()}）`;
  await page.getByLabel("发文单位", { exact: true }).fill(issuer);
  await page.getByLabel("页脚", { exact: true }).fill("浙江省安委办印发");
  await page.getByLabel("修改说明", { exact: true }).fill("设置发文单位和页脚");
  // A logo (a 1x1 PNG): previewed before saving, shown as the current one after.
  await page.locator("input[type=file]").setInputFiles({
    name: "logo.png",
    mimeType: "image/png",
    buffer: Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      "base64",
    ),
  });
  await expect(page.getByRole("img", { name: "新标志" })).toBeVisible();

  // An override that drops the default's {names} is refused beside its row; fixed, it saves.
  await page.getByRole("tab", { name: /中文/ }).click();
  const rankOf = page.getByLabel("本省措辞 中文 rank_of", { exact: true });
  await rankOf.fill("排名第{rank}");
  await page.getByRole("button", { name: "保存为新版本" }).click();
  await expect(page.getByText("需要保留 {of}")).toBeVisible();
  await rankOf.fill("排名第 {rank} 位（共 {of} 个单位）");
  await page.getByRole("button", { name: "保存为新版本" }).click();

  await expect(page.getByText(`已保存为第 ${read + 1} 版`)).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: `当前为第 ${read + 1} 版` })).toBeVisible();
  await expect(page.getByLabel("发文单位", { exact: true })).toHaveValue(issuer);
  await expect(page.getByLabel("本省措辞 中文 rank_of", { exact: true })).toHaveValue("排名第 {rank} 位（共 {of} 个单位）");
  const logo = page.getByRole("img", { name: "当前标志" });
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const history = page.getByRole("row", { name: new RegExp(`^${read + 1}\\s*当前`) });
  await expect(history).toContainText("设置发文单位和页脚");
  await expect(history).toContainText(issuer);
  await shoot(page, "93-report-letterhead");
  await page.screenshot({ path: `${SHOTS}/letterhead.png`, fullPage: true });

  // The same page in English.
  await page.getByText("English", { exact: true }).click();
  await expect(page.getByRole("heading", { name: "Report letterhead" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: `Version ${read + 1}, saved by` })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/letterhead-en.png`, fullPage: true });
  await page.getByText("中文", { exact: true }).click();
});
