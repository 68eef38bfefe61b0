// The self-assessment form: Xiangjiadang's clerk fills in its open 2026 township assessment (a bad
// value refused beside its field, a not-applicable claim with its reason, evidence), saves, sees
// the total change with every point explained, and submits. Only Xiangjiadang's assessment changes.
import { expect, type Page, test } from "@playwright/test";
import { shoot, signIn } from "./support";

const indicator = (page: Page, code: string) =>
  page.getByRole("region", { name: new RegExp(`^${code.replace(/\./g, "\\.")} `) });

// The demo server is shared with every other spec in a full run: allow it time.
test.describe.configure({ timeout: 180_000 });

test("a save over someone else's newer save is a conflict, and reloading shows theirs", async ({ browser }) => {
  const first = await browser.newPage();
  const second = await browser.newPage();
  for (const page of [first, second]) {
    await signIn(page, "xjd-clerk");
    await page.goto("/assessments");
    await page.getByRole("row", { name: /湘家荡区域/ }).getByRole("link", { name: "湘家荡区域" }).click();
    await expect(page.getByRole("heading", { name: "湘家荡区域 · 自评" })).toBeVisible();
  }
  await indicator(first, "1.1").getByLabel("说明").fill("责任清单见附件一");
  await first.getByRole("button", { name: "保存" }).click();
  await expect(first.getByText("已保存")).toBeVisible();

  await indicator(second, "1.3").getByLabel("说明").fill("四次全体会议纪要");
  await second.getByRole("button", { name: "保存" }).click();
  await expect(second.getByText("其他人已先保存了修改", { exact: false })).toBeVisible();
  await second.getByRole("button", { name: "重新加载" }).click();
  await expect(second.getByText("其他人已先保存了修改", { exact: false })).toHaveCount(0);
  await expect(indicator(second, "1.1").getByLabel("说明")).toHaveValue("责任清单见附件一");
  await first.close();
  await second.close();
});

test("xjd-clerk fills in, saves with evidence, sees the score explained and submits", async ({ page }) => {
  await signIn(page, "xjd-clerk");
  await page.getByRole("menuitem", { name: "自评填报" }).click();
  await expect(page).toHaveURL(/\/assessments$/);
  const row = page.getByRole("row", { name: /湘家荡区域/ });
  await expect(row).toBeVisible();
  await expect(row.getByText("草稿")).toBeVisible();
  await shoot(page, "30-assessment-list");

  await row.getByRole("link", { name: "湘家荡区域" }).click();
  await expect(page.getByRole("heading", { name: "湘家荡区域 · 自评" })).toBeVisible();
  const total = page.getByRole("region", { name: "自评总分" }).locator(".ant-statistic-content").first();
  await expect(total).toHaveText("77.14");

  // A value above the indicator's maximum is refused beside its field.
  const manual = indicator(page, "3.2.1");
  await manual.getByLabel(/自评得分/).fill("99");
  await expect(manual.getByText("请输入 0 到 7.00 之间的数")).toBeVisible();
  await manual.getByLabel(/自评得分/).fill("6.5");
  await expect(manual.getByText("请输入 0 到 7.00 之间的数")).toHaveCount(0);

  await indicator(page, "6.1").getByRole("radio", { name: "是" }).check();
  await indicator(page, "7.1").getByRole("radio", { name: "是" }).check();
  // Leaving with unsaved changes asks first; staying keeps them.
  await page.getByRole("link", { name: "返回列表" }).click();
  await page.getByRole("button", { name: "取消" }).click();
  await expect(indicator(page, "7.1").getByRole("radio", { name: "是" })).toBeChecked();
  await indicator(page, "8.2").getByLabel(/自评得分/).fill("1");

  // Not applicable needs its reason.
  const bonus = indicator(page, "8.1");
  await bonus.getByRole("checkbox", { name: "不适用" }).check();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(bonus.getByText("请说明不适用的理由")).toBeVisible();
  await bonus.getByLabel("不适用理由").fill("本年度未获国家级表彰");

  // Evidence: a small PDF for 6.1.
  const month = indicator(page, "6.1");
  await month.locator("input[type=file]").setInputFiles({
    name: "安全生产月活动总结.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
  });
  await expect(month.getByRole("link", { name: "安全生产月活动总结.pdf" })).toBeVisible();
  const download = page.waitForEvent("download");
  await month.getByRole("link", { name: "安全生产月活动总结.pdf" }).click();
  expect((await download).suggestedFilename()).toBe("安全生产月活动总结.pdf");
  // A file sent by mistake is taken away again.
  await month.locator("input[type=file]").setInputFiles({
    name: "误传.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n%%EOF\n"),
  });
  await expect(month.getByRole("link", { name: "误传.pdf" })).toBeVisible();
  await month.getByRole("button", { name: "删除 误传.pdf" }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(month.getByRole("link", { name: "误传.pdf" })).toHaveCount(0);

  // A value the server refuses (more than 4 decimal places) comes back beside its field.
  await manual.getByLabel(/自评得分/).fill("6.12345");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(manual.getByText(/more than 4 decimal places/)).toBeVisible();
  await expect(page.getByText("未能保存")).toBeVisible();
  await manual.getByLabel(/自评得分/).fill("6.5");

  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("已保存")).toBeVisible();
  await expect(total).not.toHaveText("77.14");
  // The demo's template is written in Chinese, and explains in Chinese.
  await expect(indicator(page, "3.2.1").getByText("评定6.5")).toBeVisible();
  await expect(bonus.getByText("自评 0.00")).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, "31-assessment-form");

  await page.getByRole("button", { name: "全部收起" }).click();
  await expect(indicator(page, "3.2.1")).toHaveCount(0);
  await page.getByRole("button", { name: "计分说明" }).click();
  const drawer = page.getByRole("dialog", { name: "计分说明（每一分的来历）" });
  await expect(drawer.getByRole("cell", { name: /3\.2\.1/ })).toBeVisible();
  await shoot(page, "32-assessment-explained");
  await drawer.getByRole("button", { name: /close|关闭/i }).click();

  await page.getByRole("button", { name: "提交自评" }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(page.getByText("本自评当前为“已提交”状态，只能查看。")).toBeVisible();
  await expect(page.getByRole("button", { name: "保存" })).toHaveCount(0);
});
