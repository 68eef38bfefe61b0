// Cycles: the province office follows a cycle (state counts, late and overdue units, a refused
// close), opens a new one over Hangzhou's districts (units no other story uses) and one over its
// own departments (a cycle at its own level).
import { expect, type Locator, type Page, test } from "@playwright/test";
import { chooseOption, shoot, signIn } from "./support";

const COUNTY_2026 = "2026年度县（市、区）安全生产工作考核";
const NEW_CYCLE = "2027年上半年杭州市县（区）安全生产考核（界面测试）";
const DATE_FIELDS = ["考核期间开始", "考核期间结束", "自评截止（北京时间）", "评审截止（北京时间）"];

/** Open the select `field` with the keyboard and take its first (active) option, `expected`. */
async function pickActive(page: Page, field: Locator, expected: RegExp) {
  await expect(field).toBeEnabled();
  await field.focus();
  await field.press("Enter");
  await expect(page.locator(".ant-select-dropdown:visible .ant-select-item-option-active")).toHaveText(expected);
  await field.press("Enter");
  await expect(page.locator(".ant-select-dropdown:visible")).toHaveCount(0); // closed again
}

/** The period's start and end, then the two dues, typed into the open-cycle form. */
async function fillDates(dialog: Locator, values: string[]) {
  for (const [index, label] of DATE_FIELDS.entries()) {
    await dialog.getByLabel(label).click();
    await dialog.getByLabel(label).fill(values[index]);
    await dialog.getByLabel(label).press("Enter");
  }
}

test("zj-office sees a cycle's state counts and its late units; closing it is refused", async ({ page }) => {
  await signIn(page, "zj-office");
  await page.getByRole("menuitem", { name: "考核周期" }).click();
  await expect(page).toHaveURL(/\/cycles$/);
  const row = page.getByRole("row", { name: new RegExp(COUNTY_2026) });
  await expect(row.getByText(/已发布第 \d+ 期|排名更新中/)).toBeVisible();
  await expect(row.getByRole("img", { name: /草稿 \d+/ })).toBeVisible();
  await shoot(page, "60-cycles");

  await row.getByRole("link", { name: COUNTY_2026 }).click();
  await expect(page.getByRole("heading", { name: COUNTY_2026 })).toBeVisible();
  await expect(page.getByRole("img", { name: /各状态考核数量：草稿 \d+，.*已重新提交 \d+/ })).toBeVisible();
  // Shangcheng has not submitted although the self-assessment was due on 2026-11-21.
  const shangcheng = page.getByRole("row", { name: /上城区/ });
  await expect(shangcheng.getByText("逾期未提交")).toBeVisible();
  await expect(shangcheng).toHaveAttribute("data-late", "overdue");
  // Haiyan resubmitted after the due time.
  const haiyan = page.getByRole("row", { name: /海盐县/ });
  await expect(haiyan.getByText("迟交", { exact: true })).toBeVisible();
  await shoot(page, "61-cycle");

  await page.getByLabel("只看迟交").check();
  await expect(page.getByRole("row", { name: /海盐县/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /上城区/ })).toHaveCount(0);

  await page.getByRole("button", { name: "关闭周期" }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not final yet" })).toBeVisible();
  await expect(page.getByText("进行中").first()).toBeVisible();
});

test("zj-office opens a cycle over Hangzhou's districts and finds it listed", async ({ page }) => {
  await signIn(page, "zj-office");
  await page.goto("/cycles");
  await page.getByRole("button", { name: "发起考核" }).click();
  const dialog = page.getByRole("dialog", { name: "发起考核周期" });
  await expect(dialog).toBeVisible();

  // Nothing filled: every required field says so beside it.
  await dialog.getByRole("button", { name: "发起" }).click();
  await expect(dialog.getByText("请填写周期名称")).toBeVisible();

  await dialog.getByLabel("发起单位").click();
  await dialog.getByLabel("发起单位").fill("杭州");
  await chooseOption(page, /杭州市 \(330100\)/, { exact: true });
  await dialog.getByLabel("考核细则（已发布）").click();
  await chooseOption(page, /第 2 版.*浙江省/, { exact: true });
  await dialog.getByLabel("被考核层级").click();
  await chooseOption(page, "县（区）", { exact: true });
  await fillDates(dialog, ["2027-01-01", "2027-06-30", "2027-07-15 17:00", "2027-07-31 17:00"]);
  await dialog.getByLabel("周期名称").fill(NEW_CYCLE);
  await shoot(page, "62-open-cycle");
  await dialog.getByRole("button", { name: "发起" }).click();

  await expect(page.getByRole("heading", { name: NEW_CYCLE })).toBeVisible();
  await expect(page.getByRole("row", { name: /上城区/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /西湖区/ })).toBeVisible();

  await page.getByRole("link", { name: "返回考核周期" }).click();
  const row = page.getByRole("row", { name: new RegExp(NEW_CYCLE) });
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell", { name: "杭州市", exact: true })).toBeVisible();
  await expect(row.getByRole("img", { name: "各状态考核数量：草稿 2" })).toBeVisible();
});

test("zj-office opens a cycle over the province's own departments, at its own level", async ({ page }) => {
  const name = "2027年度省直部门安全生产考核（界面测试）";
  await signIn(page, "zj-office");
  await page.goto("/cycles");
  await page.getByRole("button", { name: "发起考核" }).click();
  const dialog = page.getByRole("dialog", { name: "发起考核周期" });
  // The province office itself is the opening unit; the dialog has settled once it shows so.
  await expect(dialog.getByText("浙江省 (330000)")).toBeVisible();
  await dialog.getByLabel("周期名称").fill(name);
  // Picked with the keyboard: in this form, a click on a list as it opened was at times lost.
  await pickActive(page, dialog.getByLabel("考核细则（已发布）"), /第 2 版.*浙江省/);
  await expect(dialog.getByTitle(/第 2 版.*浙江省/)).toBeVisible();
  await pickActive(page, dialog.getByLabel("被考核层级"), /^省本级（部门、直属单位和企业）$/);
  // At its own level only the kinds attached to a region are offered.
  const kinds = dialog.getByLabel("只考核这些类型（可选）");
  await expect(kinds).toBeEnabled();
  await kinds.focus();
  await kinds.press("Enter");
  const offered = page.locator(".ant-select-dropdown:visible .ant-select-item-option");
  await expect(offered).toHaveText(["部门", "直属单位", "企业"]);
  await expect(page.locator(".ant-select-dropdown:visible .ant-select-item-option-active")).toHaveText("部门");
  await kinds.press("Enter");
  await page.keyboard.press("Escape");
  await fillDates(dialog, ["2027-01-01", "2027-12-31", "2028-01-15 17:00", "2028-01-31 17:00"]);
  await shoot(page, "63-open-own-level-cycle");
  await dialog.getByRole("button", { name: "发起" }).click();

  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByRole("row", { name: /浙江省应急管理厅/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /浙江省自然资源厅/ })).toBeVisible();
  // The affiliated bureau is not a department; the province itself is never its own unit.
  await expect(page.getByRole("row", { name: /浙江省地质勘查局/ })).toHaveCount(0);
  await expect(page.getByRole("img", { name: "各状态考核数量：草稿 2" })).toBeVisible();
});
