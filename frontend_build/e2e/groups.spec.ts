// Assessment groups (分类考核): jx-office reads the township cycle's two groups (城区街道 on the
// template's thresholds, 乡镇（区域） on its own, quota 2) and finds editing them closed now that
// results are final; the dashboard ranks each group on its own (ranks from 1 again) with a group
// filter; a new cycle's units are split into groups in the dialog (its refusals beside the
// fields), then ranked as one again.
import { expect, type Locator, type Page, test } from "@playwright/test";
import { chooseOption, signIn } from "./support";

const TOWNSHIP_2026 = "2026年度嘉兴市乡镇（街道）安全生产工作考核";
const NEW_CYCLE = "2027年度南湖区乡镇（街道）分类考核（界面测试）";
const DATE_FIELDS = ["考核期间开始", "考核期间结束", "自评截止（北京时间）", "评审截止（北京时间）"];

async function openCyclePage(page: Page, name: string) {
  await page.getByRole("menuitem", { name: "考核周期" }).click();
  await page.getByRole("row", { name: new RegExp(name) }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

async function fillDates(dialog: Locator, values: string[]) {
  for (const [index, label] of DATE_FIELDS.entries()) {
    await dialog.getByLabel(label).click();
    await dialog.getByLabel(label).fill(values[index]);
    await dialog.getByLabel(label).press("Enter");
  }
}

test("jx-office reads the township cycle's groups; final results fix them", async ({ page }) => {
  await signIn(page, "jx-office");
  await openCyclePage(page, TOWNSHIP_2026);

  const groups = page.getByRole("region", { name: "分类考核" });
  const streets = groups.getByRole("row", { name: /城区街道/ });
  await expect(streets).toContainText("streets");
  await expect(streets).toContainText("沿用模板");
  await expect(streets).toContainText("9 个单位");
  await expect(streets).toContainText("七星街道");
  const towns = groups.getByRole("row", { name: /乡镇（区域）/ });
  await expect(towns).toContainText("towns");
  await expect(towns).toContainText("优秀 85.00 · 良好 75.00 · 合格 60.00");
  await expect(towns).toContainText("2 个");
  await expect(towns).toContainText("8 个单位");
  await expect(towns).toContainText("凤桥镇");

  // Results are final: the groups are fixed, and the dialog is not offered.
  await expect(groups.getByRole("button", { name: "编辑分组" })).toBeDisabled();
  await expect(groups.getByText(/已有 \d+ 个考核结果定稿，分组已固定/)).toBeVisible();
  await groups.scrollIntoViewIfNeeded();
  await groups.screenshot({ path: "/tmp/groups-cycle-card.png" });
});

test("the dashboard ranks each group on its own and filters to one", async ({ page }) => {
  await signIn(page, "jx-office");
  await page.getByRole("menuitem", { name: "排名看板" }).click();
  await page.getByLabel("考核周期").click();
  await page.locator(".ant-select-dropdown:visible").getByTitle(TOWNSHIP_2026, { exact: true }).click();
  await expect(page.getByText(`${TOWNSHIP_2026}：嘉兴市内乡镇（街道）排名`)).toBeVisible();

  const table = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "组别" }) });
  await expect(table.getByRole("columnheader", { name: "组内名次" })).toBeVisible();
  const rows = table.locator(".ant-table-tbody tr.ant-table-row");
  // 城区街道 first, ranked from 1.
  await expect(rows.first()).toContainText("城区街道");
  await expect(rows.first().locator("td").nth(2)).toHaveText(/^1\/\d+$/);
  const fengqiao = page.getByRole("row", { name: /凤桥镇/ });
  await expect(fengqiao).toContainText("乡镇（区域）");
  await expect(fengqiao).toContainText("优秀");
  await page.mouse.move(0, 0);
  await page.screenshot({ path: "/tmp/groups-dashboard.png", fullPage: true });

  // Only 乡镇（区域）: ranked from 1 again, 凤桥镇 among them, graded excellent at 85.29.
  await page.getByLabel("组别").click();
  await chooseOption(page, "乡镇（区域）", { exact: true });
  await expect(page).toHaveURL(/group=towns/);
  await expect(rows.first()).toContainText("乡镇（区域）");
  await expect(rows.first().locator("td").nth(2)).toHaveText(/^1\/\d+$/);
  await expect(rows.filter({ hasText: "城区街道" })).toHaveCount(0);
  await expect(fengqiao).toContainText("85.29");
  await expect(fengqiao).toContainText("优秀");
  await page.mouse.move(0, 0);
  await page.screenshot({ path: "/tmp/groups-dashboard-towns.png", fullPage: true });

  // The leaders' lists read the group alone too.
  await expect(page.getByText(/「乡镇（区域）」组排名第 1/)).toBeVisible();
  await expect(page.getByText(/「城区街道」组排名/)).toHaveCount(0);

  // The register names each unit's group too, and reads the group alone.
  await page.getByRole("tab", { name: "奖惩登记" }).click();
  const register = page.getByRole("region", { name: "奖惩登记" });
  await expect(register.getByRole("columnheader", { name: "组别" })).toBeVisible();
  await expect(register.getByText("凤桥镇")).toBeVisible();
  await expect(register.getByText("新兴街道")).toHaveCount(0);
});

test("jx-office splits a new cycle's units into groups, then ranks it as one again", async ({ page }) => {
  await signIn(page, "jx-office");
  await page.getByRole("menuitem", { name: "考核周期" }).click();
  await page.getByRole("button", { name: "发起考核" }).click();
  const open = page.getByRole("dialog", { name: "发起考核周期" });
  await open.getByLabel("考核细则（已发布）").click();
  await chooseOption(page, /嘉兴市乡镇（街道）安全生产工作考核细则/);
  await open.getByLabel("被考核层级").click();
  await chooseOption(page, "乡镇（街道）", { exact: true });
  const units = open.getByLabel("只考核这些单位（可选）");
  for (const code of ["330402015", "330402100", "330402101"]) {
    await units.click();
    await units.fill(code);
    await chooseOption(page, code);
  }
  await units.press("Escape");
  await fillDates(open, ["2027-01-01", "2027-12-31", "2028-01-15 17:00", "2028-01-31 17:00"]);
  await open.getByLabel("周期名称").fill(NEW_CYCLE);
  await open.getByRole("button", { name: "发起" }).click();
  await expect(page.getByRole("heading", { name: NEW_CYCLE })).toBeVisible();

  const card = page.getByRole("region", { name: "分类考核" });
  await expect(card).toContainText("本周期未分组");
  await card.getByRole("button", { name: "编辑分组" }).click();
  const dialog = page.getByRole("dialog", { name: "分类考核分组" });
  await expect(dialog.getByText("还有 3 个单位未分组")).toBeVisible();

  const first = dialog.getByRole("group", { name: "第 1 组" });
  await first.getByLabel("编码").fill("streets");
  await first.getByLabel("组名").fill("城区街道");
  await first.getByLabel("单位").click();
  await chooseOption(page, "330402015");
  await page.keyboard.press("Escape");

  const second = dialog.getByRole("group", { name: "第 2 组" });
  await second.getByLabel("编码").fill("towns");
  await second.getByLabel("组名").fill("乡镇");
  await second.getByLabel("第 2 组 优秀分数线").fill("85");
  await second.getByLabel("第 2 组 良好分数线").fill("75");
  await second.getByLabel("单位").click();
  // A unit already in the first group is not offered again.
  await expect(page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "330402015" })).toHaveCount(0);
  await chooseOption(page, "330402100");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 1280, height: 1300 });
  await page.screenshot({ path: "/tmp/groups-edit-dialog.png" });

  // Thresholds: every grade or none.
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(second.getByText("请填写所有等次的分数线")).toBeVisible();
  await second.getByLabel("第 2 组 合格分数线").fill("60");

  // One unit left out: the server says which.
  await dialog.getByRole("button", { name: "保存" }).click();
  const refusal = dialog.getByRole("alert").filter({ hasText: "分组：" }).filter({ hasNotText: "未分组" });
  await expect(refusal).toContainText("330402101");
  await page.screenshot({ path: "/tmp/groups-edit-refused.png" });

  await second.getByLabel("单位").click();
  await chooseOption(page, "330402101");
  await page.keyboard.press("Escape");
  await expect(dialog.getByText("所有 3 个参评单位均已分组。")).toBeVisible();
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByRole("row", { name: /城区街道/ })).toContainText("1 个单位");
  await expect(card.getByRole("row", { name: /乡镇/ })).toContainText("2 个单位");

  // Ranked as one again.
  await card.getByRole("button", { name: "编辑分组" }).click();
  await dialog.getByRole("button", { name: "取消分组" }).click();
  await page.getByRole("button", { name: "确 定" }).or(page.getByRole("button", { name: "确定" })).first().click();
  await expect(dialog).toBeHidden();
  await expect(card).toContainText("本周期未分组");
});

test("an assessment's header names the group it is ranked in", async ({ page }) => {
  await signIn(page, "xjd-clerk");
  await page.goto("/assessments");
  await page.getByRole("row", { name: /湘家荡区域/ }).getByRole("link", { name: "湘家荡区域" }).click();
  const head = page.getByRole("region", { name: "自评总分" });
  await expect(head.getByText("组别：乡镇（区域）")).toBeVisible();
  await head.screenshot({ path: "/tmp/groups-assessment-header.png" });
});
