// Ledgers, notifications and job runs: a city office records a larger accident in 海宁市 (not
// vetoed in the demo), sees it listed, in the year-on-year statistics and firing the one-ticket
// veto on 海宁市's 2026 county assessment; the hazard, task-list and statement screens; a
// district's notifications marked read; a province admin's full recompute.
import { expect, type Page, test } from "@playwright/test";
import { chooseOption, shoot, signIn } from "./support";

const TITLE = `海宁市某化工企业仓库爆燃事故（e2e ${Date.now()}）`;

async function pick(page: Page, label: string, search: string, option: string | RegExp) {
  const box = page.getByRole("dialog").getByLabel(label, { exact: true });
  const item = page
    .getByRole("dialog")
    .locator(".ant-form-item")
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .last();
  // A dropdown still opening (or the last one still closing) on a busy machine can swallow the
  // click: try again until the choice shows in the field.
  await expect(async () => {
    await box.click();
    await box.fill(search);
    await chooseOption(page, option);
    await expect(item).toContainText(option, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}


async function graphql<T>(page: Page, query: string): Promise<T> {
  const csrf = await page.evaluate(() => sessionStorage.getItem("redline.csrf"));
  const response = await page.request.post("/graphql", {
    data: { query },
    headers: { "X-CSRF-Token": csrf ?? "" },
  });
  return ((await response.json()) as { data: T }).data;
}

test("a city office records a larger accident; it is listed, counted year on year and vetoes the county", async ({ page }) => {
  // Many steps and a wait for the worker: on a loaded machine this takes minutes, not seconds.
  test.setTimeout(240_000);
  await signIn(page, "jx-office");
  await page.getByRole("menuitem", { name: "安全台账" }).click();
  await expect(page).toHaveURL(/\/ledgers\/accidents$/);
  await expect(page.locator(".ant-table-row").first()).toBeVisible();
  await shoot(page, "80-accidents");

  // Year on year for Jiaxing, this year so far, before: the demo's one larger accident (桐乡市).
  const table = page.getByRole("table", { name: "分等级事故起数和死亡人数同比" });
  const larger = table.getByRole("row").filter({ hasText: "较大事故" });
  await expect(larger.getByRole("cell").nth(1)).toHaveText(/^\d+$/);
  const before = Number(await larger.getByRole("cell").nth(1).textContent());
  const lastYear = Number(await larger.getByRole("cell").nth(2).textContent());

  await page.getByRole("button", { name: "登记事故" }).click();
  const dialog = page.getByRole("dialog");
  await pick(page, "发生单位", "海宁", /海宁市 \(330481\)/);
  await dialog.getByLabel("发生日期").click();
  await dialog.getByLabel("发生日期").fill("2026-11-20");
  await dialog.getByLabel("发生日期").press("Enter");
  await dialog.getByLabel("发生时间").click();
  await dialog.getByLabel("发生时间").fill("09:40");
  await dialog.getByLabel("发生时间").press("Enter");
  await expect(dialog.getByLabel("发生时间")).toHaveValue("09:40");
  await dialog.getByLabel("事故名称").fill(TITLE);
  await pick(page, "行业领域", "危险", "危险化学品");
  await dialog.getByLabel("死亡人数").fill("3");
  await dialog.getByLabel("重伤人数").fill("2");
  await dialog.getByLabel("直接经济损失（元）").fill("4200000");
  await expect(dialog.getByText("按以上数字，事故等级为：较大事故")).toBeVisible();
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(dialog).toBeHidden();

  // Listed: the larger accidents are 桐乡市's of August and this one.
  await page.getByLabel("事故等级", { exact: true }).first().click();
  await chooseOption(page, "较大事故");
  const row = page.locator("tr").filter({ has: page.getByRole("cell", { name: TITLE, exact: true }) });
  await expect(row).toBeVisible();
  await expect(row.getByText("较大事故")).toBeVisible();
  await expect(row.getByRole("cell", { name: "海宁市", exact: true })).toBeVisible();
  await expect(row.getByRole("cell").first()).toContainText("09:40");

  // The veto it fires, live on 海宁市's open 2026 county assessment (its 3 deaths fire a
  // yellow card too).
  const vetoes = page.getByRole("table", { name: "事故触发的一票否决与黄牌警告" });
  const fired = vetoes.getByRole("row").filter({ hasText: "海宁市" }).filter({ hasText: "2026年度县" });
  await expect(fired.filter({ hasText: "触发黄牌警告" }).filter({ hasText: TITLE }).first()).toBeVisible();
  const veto = fired.filter({ hasText: "触发一票否决" }).first();
  await expect(veto.getByText("触发一票否决")).toBeVisible();
  await expect(veto.getByText(/实时/)).toBeVisible();

  // Year on year, after: one more larger accident this year, last year's unchanged.
  await expect(larger.getByRole("cell").nth(1)).toHaveText(String(before + 1));
  await expect(larger.getByRole("cell").nth(2)).toHaveText(String(lastYear));
  await expect(larger.getByRole("cell").nth(3)).toHaveText(
    before + 1 - lastYear > 0 ? `+${before + 1 - lastYear}` : String(before + 1 - lastYear),
  );
  await expect(page.getByRole("img", { name: /柱状图/ })).toBeVisible();
  await page.getByText("事故同比统计").scrollIntoViewIfNeeded();
  await shoot(page, "81-accident-statistics");

  // The API agrees: 海宁市's 2026 county assessment has the ledger veto of this accident.
  const data = await graphql<{
    assessments: { edges: { node: { unit: { code: string }; cycle: { id: string; name: string }; ledgerVetoes: { fact: { subject: string; label: string } }[] } }[] };
  }>(page, `{ assessments(filter: {subtreeOf: "VGVuYW50Ojg="}, first: 100) { edges { node {
      unit { code } cycle { id name } ledgerVetoes { fact { subject label } } } } } }`);
  const haining = data.assessments.edges
    .map((e) => e.node)
    .find((a) => a.unit.code === "330481" && a.cycle.name.startsWith("2026年度县"));
  expect(haining?.ledgerVetoes.some((v) => v.fact.subject === "accident")).toBe(true);

  // The worker re-scores 海宁市 and publishes the county ranking again: the leaders' dashboard,
  // where it was vetoed for a yellow card two years running, now gives the accident as a reason.
  await page.goto(`/rankings?cycle=${encodeURIComponent(haining!.cycle.id)}`);
  const ranked = page.locator(".ant-table-row").filter({ hasText: "海宁市" }).first();
  // Each look waits for the reloaded dashboard to render (seconds when the machine is busy).
  await expect(async () => {
    await page.reload();
    await ranked.getByRole("button", { name: "一票否决" }).hover({ timeout: 15_000 });
    await expect(page.getByRole("tooltip")).toContainText("发生较大及以上生产安全责任事故", {
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000 });
});

test("the hazard, task-list and statement ledgers open with the demo's rows; a plan downloads as Excel", async ({ page }) => {
  await signIn(page, "jx-office");
  await page.goto("/ledgers/hazards");
  await expect(page.getByRole("heading", { name: "隐患台账" })).toBeVisible();
  await expect(page.locator(".ant-table-row").nth(1)).toBeVisible();
  await expect(page.getByText("整改率").first()).toBeVisible();
  await shoot(page, "82-hazards");

  await page.getByRole("tab", { name: "任务清单" }).click();
  await expect(page).toHaveURL(/\/ledgers\/tasks$/);
  const plans = page.getByRole("table", { name: "行动方案" });
  await expect(plans.getByRole("row").nth(1)).toBeVisible();
  await expect(page.getByRole("table", { name: "按专题和专项的完成情况" })).toBeVisible();
  await expect(page.getByRole("table", { name: "任务要素" }).getByRole("row").nth(1)).toBeVisible();
  const download = page.waitForEvent("download");
  await plans.getByRole("link", { name: /导出 Excel/ }).first().click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  await shoot(page, "83-tasks");

  await page.getByRole("tab", { name: "责任书" }).click();
  await expect(page.getByText("下级单位签订率")).toBeVisible();
  await expect(page.getByRole("table", { name: "下级单位签订情况" }).getByText("海宁市")).toBeVisible();
  await expect(page.getByRole("table", { name: "责任书列表" }).getByRole("row").nth(1)).toBeVisible();
  await shoot(page, "84-statements");
});

test("a city office records a hazard in 海宁市 and takes it round the loop as far as its role allows", async ({ page }) => {
  const title = `海宁市某企业消防通道堵塞（e2e ${Date.now()}）`;
  await signIn(page, "jx-office");
  await page.goto("/ledgers/hazards");
  await page.getByRole("button", { name: "登记隐患" }).click();
  const dialog = page.getByRole("dialog");
  await pick(page, "责任单位", "海宁", /海宁市 \(330481\)/);
  await dialog.getByLabel("隐患名称").fill(title);
  await dialog.getByLabel("地点（企业或场所）").fill("海宁市某纺织企业");
  await pick(page, "行业领域", "火灾", "火灾");
  await dialog.getByLabel("整改期限").click();
  await dialog.getByLabel("整改期限").fill("2026-12-31");
  await dialog.getByLabel("整改期限").press("Enter");
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(dialog).toBeHidden();

  const row = page.locator("tr").filter({ has: page.getByRole("cell", { name: title, exact: true }) });
  const unit = page.getByRole("combobox", { name: "单位" }).first();
  await unit.click();
  await unit.fill("海宁");
  await chooseOption(page, /海宁市 \(330481\)/);
  await page.getByLabel("状态", { exact: true }).first().click();
  await chooseOption(page, "发现");
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "开始整改" }).click();
  await page.getByRole("dialog").getByLabel("说明（本步骤的依据）").fill("已制定整改方案，清理通道杂物");
  await page.getByRole("dialog").getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();

  await page.getByLabel("状态", { exact: true }).first().click();
  await chooseOption(page, "整改中");
  await row.getByRole("button", { name: "整改完成" }).click();
  await page.getByRole("dialog").getByLabel("说明（本步骤的依据）").fill("通道已清理，设置警示标识");
  await page.getByRole("dialog").getByRole("button", { name: "确定" }).click();
  // Rectified needs evidence: the refusal names the field, then the photo goes with it.
  await expect(page.getByRole("dialog").getByRole("alert")).toContainText("佐证材料");
  await page.getByRole("dialog").locator("input[type=file]").setInputFiles({
    name: "acceptance.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("消防通道已清理，验收合格"),
  });
  await page.getByRole("dialog").getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();

  // The look-back is never the rectifier's: the server refuses it and the screen says so.
  await page.getByLabel("状态", { exact: true }).first().click();
  await chooseOption(page, "已整改");
  await row.getByRole("button", { name: "复核通过" }).click();
  await page.getByRole("dialog").getByLabel("说明（本步骤的依据）").fill("现场复核");
  await page.getByRole("dialog").getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("dialog").getByRole("alert")).toBeVisible();
});

test("a district reads its notifications and marks one read", async ({ page }) => {
  await signIn(page, "nanhu-office");
  await page.getByRole("menuitem", { name: "通知" }).click();
  await expect(page).toHaveURL(/\/notifications$/);
  const first = page.locator(".ant-table-row").first();
  await expect(first).toBeVisible();
  const badge = page.getByRole("status").filter({ hasText: "条未读" });
  const before = Number((await badge.textContent())?.match(/\d+/)?.[0]);
  expect(before).toBeGreaterThan(0);
  await shoot(page, "90-notifications");
  await first.getByRole("button", { name: "标为已读" }).click();
  await expect(badge).toHaveText(`${before - 1} 条未读`);
});

test("a province admin starts a full recompute and watches it finish", async ({ page }) => {
  await signIn(page, "zj-office");
  await page.getByRole("menuitem", { name: "后台任务" }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await page.getByRole("button", { name: "全量重算" }).click();
  await page.getByRole("tooltip").getByRole("button", { name: "全量重算" }).click();
  const run = page.getByRole("row").filter({ hasText: "全量重算" }).first();
  await expect(run).toBeVisible();
  await expect(run.getByText("已完成")).toBeVisible({ timeout: 60_000 });
  await expect(run.getByText(/重新计分考核 \d+ 份/)).toBeVisible();
  await shoot(page, "91-jobs");
});
