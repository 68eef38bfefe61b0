// A late veto (事后追溯否决): the county template lets a final result be vetoed up to three years
// after its period (a concealed accident found out). zj-office reads 嘉善县's 2025 result, vetoed
// late in the demo, then opens the late-veto dialog on 平湖市's final 2025 result: only the veto
// rules raised by hand are offered (no yellow card), the warning says what reopening a final
// result does and until when, and a blank reason is refused beside the field. Nothing is vetoed
// here: a late veto republishes the 2025 rankings, whose latest change versions.spec.ts reads.
import { expect, type Page, test } from "@playwright/test";
import { shoot, signIn } from "./support";

const COUNTY_2025 = "2025年度县（市、区）安全生产工作考核";

/** The review page of a unit's final 2025 county result, from the queue's final ones. */
async function openFinal2025(page: Page, unit: string) {
  await page.goto("/reviews?state=FINAL");
  const row = page.getByRole("row", { name: new RegExp(unit) }).filter({ hasText: COUNTY_2025 });
  await row.getByRole("link", { name: "查看" }).click();
  await expect(page.getByRole("heading", { name: unit })).toBeVisible();
  await expect(page.getByText(COUNTY_2025).first()).toBeVisible();
  await page.getByRole("tab", { name: /否决与黄牌/ }).click();
}

test("the cycle's office opens a late veto on a final result: veto rules only, a reason required", async ({
  page,
}) => {
  await signIn(page, "zj-office");

  // 嘉善县: vetoed in July 2026 for an accident concealed in 2025, graded unqualified.
  await openFinal2025(page, "嘉善县");
  const jiashanGrade = page.locator(".ant-statistic").filter({ hasText: "等次" });
  await expect(jiashanGrade).toContainText("不合格");
  const v2 = page.getByRole("row", { name: /V2 瞒报、谎报生产安全事故/ });
  await expect(v2).toContainText("2026年7月查实");
  await expect(v2.getByText("生效中")).toBeVisible();

  // 平湖市: final, good; the late veto may come until three years after 31 December 2025.
  await openFinal2025(page, "平湖市");
  const grade = page.locator(".ant-statistic").filter({ hasText: "等次" });
  await expect(grade).toContainText("良好");
  // The raise-while-reviewing button is gone on a final result; the late one is there.
  await expect(page.getByRole("button", { name: "一票否决 / 黄牌警告" })).toHaveCount(0);
  await expect(page.getByText("定稿结果可在 2028年12月31日 前追溯否决")).toBeVisible();
  await page.getByRole("button", { name: "事后追溯否决" }).click();

  const dialog = page.getByRole("dialog", { name: /事后追溯否决/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("alert").first()).toContainText("将重新打开已定稿的考核结果");
  await expect(dialog).toContainText("本周期排名作为新版本重新发布");
  await expect(dialog).toContainText("表彰应予撤回");
  await expect(dialog).toContainText("2028年12月31日");

  // Only the veto rules raised by hand: V1-V3 of the 2025 edition, never the yellow card Y1.
  await dialog.getByLabel("规则").click();
  const options = page.locator(".ant-select-dropdown:visible .ant-select-item-option");
  await expect(options).toHaveCount(3);
  await expect(options.nth(0)).toHaveText("V1 发生较大及以上生产安全责任事故");
  await expect(options.nth(1)).toHaveText("V2 瞒报、谎报生产安全事故");
  await expect(options.nth(2)).toHaveText("V3 重大隐患逾期未整改");
  await expect(options.filter({ hasText: /Y1|通报批评/ })).toHaveCount(0);
  await options.nth(1).click();
  await expect(page.locator(".ant-select-dropdown:visible")).toHaveCount(0);

  // No reason: refused by the server, the message beside the field; nothing vetoed.
  await dialog.getByLabel("证据").fill("平湖市某企业事故调查报告");
  await dialog.getByRole("button", { name: "追溯否决" }).click();
  const reasonItem = dialog.locator(".ant-form-item").filter({ has: page.getByLabel("理由", { exact: true }) });
  await expect(reasonItem).toContainText("say why the unit is vetoed");
  await expect(dialog).toBeVisible();
  await shoot(page, "48-review-late-veto");

  await dialog.getByRole("button", { name: "取消" }).click();
  await expect(dialog).toBeHidden();
  await expect(grade).toContainText("良好");
  await expect(page.getByRole("row", { name: /V2 瞒报/ })).toHaveCount(0);
});
