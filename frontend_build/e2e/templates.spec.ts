// The template editor end to end: zj-office lists templates and downloads one as Excel, creates a
// small template (2 categories, 3 indicators of different methods, a requirement, a deduction
// clause, a grade threshold, a veto rule, a yellow card rule with its threshold), sees a problem
// beside a field, fixes it, saves and publishes.
import { expect, type Page, test } from "@playwright/test";
import { chooseOption, shoot, signIn } from "./support";

const REQUIREMENT = "建立健全全员安全生产责任制，明确各部门、各岗位的安全生产职责并落实到人。";

async function pick(page: Page, label: string, option: string) {
  await page.getByLabel(label, { exact: true }).click();
  await chooseOption(page, option);
}

async function fillItem(page: Page, title: string, points: string) {
  await page.getByLabel("名称", { exact: true }).fill(title);
  await page.getByLabel("分值", { exact: true }).fill(points);
}

test("a template author lists, downloads, writes and publishes a template", async ({ page }) => {
  await signIn(page, "zj-office");
  await page.getByRole("menuitem", { name: "考核模板" }).click();
  await expect(page.getByRole("heading", { name: "考核模板" })).toBeVisible();
  await expect(page.getByRole("cell", { name: /2026/ }).first()).toBeVisible();
  await shoot(page, "50-templates");

  // Download a template's workbook.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: /下载 Excel/ }).first().click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);

  // A new family with its draft version 1.
  await page.getByRole("button", { name: "新建模板" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("系列编码").fill(`e2e-${Date.now()}`);
  await dialog.getByLabel("系列名称").fill("端到端测试考核");
  await dialog.getByLabel("模板标题").fill("端到端测试考核细则");
  await dialog.getByRole("button", { name: "创建" }).click();
  await expect(page.getByRole("heading", { name: "端到端测试考核细则" })).toBeVisible();

  // Settings: a grade threshold.
  await page.getByLabel("优秀分数线").fill("85");

  // Category 1 with a deduction indicator and a ratio indicator.
  await page.getByRole("button", { name: "新增类别" }).click();
  await fillItem(page, "安全生产责任体系", "60");
  await page.getByRole("button", { name: "新增指标" }).click();
  await fillItem(page, "安全生产责任制", "30");
  await page.getByLabel("考评内容", { exact: true }).fill(REQUIREMENT);
  await pick(page, "评分方式", "扣分制");
  await page.getByLabel("条款原文").fill("每缺少一个部门的责任清单，扣1分");
  await page.getByLabel("扣分", { exact: true }).fill("1");
  // A per-occurrence clause: at most 5 points off (最多扣5分).
  await page.getByLabel("最多扣分", { exact: true }).fill("5");
  await page.getByTestId("node-1").click();
  await page.getByRole("button", { name: "新增指标" }).click();
  await fillItem(page, "责任书签订率", "30");
  await pick(page, "评分方式", "比率");
  await page.getByLabel("满分目标值").fill("100");

  // Category 2 with a done / not done indicator; its points leave the total short.
  await page.getByRole("button", { name: "新增类别" }).click();
  await fillItem(page, "隐患排查治理", "30");
  await page.getByRole("button", { name: "新增指标" }).click();
  await fillItem(page, "安委会季度会议", "30");
  await pick(page, "评分方式", "是否完成");

  // A veto rule, and a yellow card (黄牌警告) at three overdue task elements.
  await page.getByRole("button", { name: "新增否决情形" }).click();
  await page.getByLabel("情形", { exact: true }).fill("发生较大及以上生产安全责任事故");
  await page.getByRole("button", { name: "新增黄牌情形" }).click();
  await page.getByLabel("情形", { exact: true }).nth(1).fill("逾期未完成工作任务3项以上");
  await page.getByLabel("触发方式").nth(1).click();
  await chooseOption(page, "逾期未完成任务数");
  await page.getByLabel("逾期任务达到").fill("3");

  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("草稿已保存")).toBeVisible();
  // The requirement came back from the server with the saved draft.
  await page.getByTestId("node-1.1").click();
  await expect(page.getByLabel("考评内容", { exact: true })).toHaveValue(REQUIREMENT);
  await expect(page.getByLabel("最多扣分", { exact: true })).toHaveValue(/^5(\.0+)?$/);
  const total = page.locator(".ant-form-item").filter({ has: page.getByLabel("总分", { exact: true }) });
  await expect(total).toContainText("add up to");
  await expect(page.getByRole("button", { name: "发布" })).toBeEnabled();
  await expect(page.getByLabel("第 2 行 编号")).toHaveValue("Y1");
  await expect(page.getByLabel("逾期任务达到")).toHaveValue("3");
  await shoot(page, "51-template-editor");

  // Fix it: category 2 and its indicator take the missing points.
  await page.getByTestId("node-2").click();
  await page.getByLabel("分值", { exact: true }).fill("40");
  await page.getByTestId("node-2.1").click();
  await page.getByLabel("分值", { exact: true }).fill("40");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("没有阻止发布的问题")).toBeVisible();
  await expect(total).not.toContainText("add up to");

  await page.getByRole("button", { name: "发布" }).click();
  await page.locator(".ant-popconfirm").getByRole("button", { name: "发布" }).click();
  await expect(page.getByText("该模板已发布，只能查看。")).toBeVisible();
  await expect(page.getByRole("button", { name: "保存草稿" })).toHaveCount(0);
  await expect(page.getByLabel("总分", { exact: true })).toBeDisabled();
  await shoot(page, "52-template-published");
});
