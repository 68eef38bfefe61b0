// Importing an office's own grading standard end to end: zj-office uploads a small CSV in the
// office's layout (一级要素 | 二级要素 | 考评内容 | 标准分值 | 评分标准, the element cell blank on
// continuation rows), checks the columns found, sees the tree, the criteria read and those left
// unread, imports it as a new family and lands in the editor of the draft.
import { expect, test } from "@playwright/test";
import { shoot, signIn } from "./support";

const CSV = [
  "一级要素,二级要素,考评内容,标准分值,评分标准",
  "目标职责（20分）,目标,制定安全生产年度目标并分解落实,5,未制定年度目标的，不得分；目标未分解的，每缺一个部门扣1分",
  ",机构和职责,设置安全生产委员会，明确职责,5,未设置安委会的，不得分",
  ",全员参与,建立全员安全生产责任制,10,责任制不健全的，酌情扣1～5分",
  "制度化管理（25分）,法规标准识别,及时识别适用的法律法规,10,查相关文件",
  ",规章制度,建立健全安全生产规章制度,5,每缺一项制度扣1分",
  ",文档管理,建立文件和档案管理制度,5,未建立档案管理制度的，不得分",
].join("\r\n");

test("a template author imports an office's standard as a new family", async ({ page }) => {
  await signIn(page, "zj-office");
  await page.getByRole("menuitem", { name: "考核模板" }).click();
  await expect(page.getByRole("heading", { name: "考核模板" })).toBeVisible();

  await page.getByRole("button", { name: "导入考评标准（Excel/CSV）" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("导入考评标准", { exact: true })).toBeVisible();

  // 1. The file: read at once.
  await dialog.locator('input[type="file"]').setInputFiles({
    name: "安全生产标准化考评标准.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(CSV, "utf-8"),
  });

  // 2. The columns found, with their roles: nothing changed.
  await expect(dialog.getByRole("cell", { name: "标准分值", exact: true })).toBeVisible();
  await expect(dialog.getByLabel("表头所在行")).toHaveValue("1");
  const roles = dialog.locator(".ant-table-row");
  await expect(roles).toHaveCount(5);
  await expect(roles.nth(0)).toContainText("一级要素");
  await expect(roles.nth(3)).toContainText("标准分值");
  await expect(roles.nth(4)).toContainText("评分标准");
  await shoot(page, "55-standard-columns");
  await dialog.getByRole("button", { name: "下一步" }).click();

  // 3. The preview: the tree, the share read, and the piece left for a person.
  await expect(dialog.getByText(/总分 40(\.00)? 分/)).toBeVisible();
  await expect(dialog.getByText(/已读取 \d+ \/ \d+ 条评分标准（[\d.]+%）/)).toBeVisible();
  await expect(dialog.getByRole("cell", { name: "目标职责", exact: true })).toBeVisible();
  await expect(dialog.getByRole("cell", { name: "全员参与" })).toBeVisible();
  await expect(dialog.getByText(/未能读取的评分标准（1 条/)).toBeVisible();
  // An element stating other points than its items add up to: a warning, and its points in red.
  await expect(dialog.getByText("请核对：")).toBeVisible();
  await expect(dialog.getByText(/^A5：制度化管理 表中标注 25(\.0+)? 分，各项合计 20(\.0+)? 分/)).toBeVisible();
  await expect(dialog.getByText(/^表中标注 25(\.0+)? 分$/)).toBeVisible();
  await expect(dialog.getByRole("cell", { name: "查相关文件" }).first()).toBeVisible();
  // The judged criteria were read as a clause: open its row.
  const judged = dialog.locator(".ant-table-row").filter({ hasText: "建立全员安全生产责任制" });
  await judged.getByRole("button").first().click();
  await expect(dialog.getByText("酌情扣分", { exact: true }).first()).toBeVisible();
  await shoot(page, "56-standard-preview");
  await dialog.getByRole("button", { name: "下一步" }).click();

  // 4. Import as a new family.
  await expect(dialog.getByLabel("模板标题")).toHaveValue("安全生产标准化考评标准");
  await dialog.getByLabel("模板标题").fill("端到端导入考评标准");
  await dialog.getByText("新建模板系列").click();
  await dialog.getByLabel("系列编码").fill(`e2e-std-${Date.now()}`);
  await dialog.getByLabel("系列名称").fill("端到端导入标准");
  await dialog.getByRole("button", { name: "导入为草稿" }).click();

  // The editor of the new draft, with a word on what is left to structure by hand.
  await expect(page.getByText("还有 1 条评分标准需要人工结构化", { exact: false })).toBeVisible();
  await expect(page.getByRole("heading", { name: "端到端导入考评标准" })).toBeVisible();
  await expect(page.getByRole("button", { name: "保存草稿" })).toBeVisible();
  await shoot(page, "57-standard-imported");
});
