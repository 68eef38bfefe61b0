// Reviews: Nanhu's assessor reviews Jianshe Subdistrict's submitted township assessment (an
// adjustment refused without a reason, then saved with one; the rest confirmed; a spot check; a
// veto raised and withdrawn; the review completed), Jiaxing's office finalises it; Nanhu returns
// Xinjia Subdistrict's resubmitted one with a reason.
import { expect, test } from "@playwright/test";
import { shoot, signIn, signOut } from "./support";

test("an assessor reviews a submitted assessment and the cycle's office finalises it", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, "nanhu-office");
  await page.getByRole("menuitem", { name: "考核评审" }).click();
  await expect(page).toHaveURL(/\/reviews$/);
  const queueRow = page.getByRole("row", { name: /建设街道/ });
  await expect(queueRow).toBeVisible();
  await expect(queueRow.getByText("待评审")).toBeVisible();
  await shoot(page, "40-review-queue");

  await queueRow.getByRole("button", { name: "评审" }).click();
  await expect(page.getByRole("heading", { name: "建设街道" })).toBeVisible();
  // Jiaxing ranks its townships in groups (分类考核): the reviewer sees which.
  await expect(page.getByText("组别：城区街道")).toBeVisible();
  await expect(page.getByText("已评审指标 0 / 15")).toBeVisible();

  // Adjust 3.2.1 (the unit claims 4.20 of 7): refused without a reason, beside the field.
  await page.getByRole("button", { name: /^调整 3\.2\.1/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("radio", { name: "调整" }).check();
  await dialog.getByLabel(/评审得分/).fill("3");
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(dialog.getByText("say why you adjust the points")).toBeVisible();
  await shoot(page, "43-review-adjust-refused");
  await dialog.getByLabel("调整理由").fill("暗查暗访记录仅3次，与自评不符");
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(dialog).toBeHidden();
  const adjusted = page.getByRole("row", { name: /^3\.2\.1/ });
  await expect(adjusted.getByText("已调整")).toBeVisible();
  await expect(adjusted.getByText("暗查暗访记录仅3次，与自评不符")).toBeVisible();
  await expect(adjusted.getByText("-1.20")).toBeVisible();

  // Confirm the other fourteen.
  await page.getByRole("button", { name: "确认其余 14 项" }).click();
  await expect(page.getByText("已评审指标 15 / 15")).toBeVisible();
  await shoot(page, "41-review");
  await page.getByRole("tab", { name: "评分说明" }).click();
  await expect(page.getByText("逐项说明（各行相加即为总分）")).toBeVisible();
  await shoot(page, "44-review-scorecard");

  // A spot-check finding on 2.1.
  await page.getByRole("tab", { name: /抽查发现/ }).click();
  await page.getByRole("button", { name: "记录抽查发现" }).click();
  const spot = page.getByRole("dialog");
  await spot.getByLabel("扣分指标").click();
  await spot.getByLabel("扣分指标").fill("2.1");
  await page.keyboard.press("Enter");
  await spot.getByLabel("扣分", { exact: true }).fill("1");
  await spot.getByLabel("发现的问题").fill("“四不两直”检查发现某企业动火作业无审批");
  await spot.getByLabel("检查日期").fill("2026-11-20");
  await page.keyboard.press("Enter");
  await spot.getByRole("button", { name: "保存" }).click();
  await expect(spot).toBeHidden();
  await expect(page.getByRole("cell", { name: "“四不两直”检查发现某企业动火作业无审批" })).toBeVisible();

  // A veto raised by hand, then withdrawn, each with its reason.
  await page.getByRole("tab", { name: /否决与黄牌/ }).click();
  await page.getByRole("button", { name: "一票否决 / 黄牌警告" }).click();
  const veto = page.getByRole("dialog");
  await veto.getByLabel("理由", { exact: true }).fill("考核组认定存在严重失职行为");
  await veto.getByRole("button", { name: "一票否决 / 黄牌警告" }).click();
  await expect(veto).toBeHidden();
  await expect(page.getByText("生效中")).toBeVisible();
  await page.getByRole("button", { name: "撤销" }).click();
  const withdraw = page.getByRole("dialog");
  await withdraw.getByRole("button", { name: "撤销" }).click();
  await expect(withdraw.getByText("say why the veto is withdrawn")).toBeVisible();
  await withdraw.getByLabel("撤销理由").fill("复核后认定不属于严重失职");
  await withdraw.getByRole("button", { name: "撤销" }).click();
  await expect(withdraw).toBeHidden();
  await expect(page.getByText("已撤销：复核后认定不属于严重失职")).toBeVisible();
  await shoot(page, "45-review-vetoes");

  // Complete the review.
  await page.getByRole("button", { name: "完成评审" }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(page.getByText("已评审待定稿").first()).toBeVisible();
  await signOut(page);

  // Jiaxing runs the township cycle: it finalises.
  await signIn(page, "jx-office");
  await page.goto("/reviews?state=REVIEWED");
  const toFinalise = page.getByRole("row", { name: /建设街道/ });
  await toFinalise.getByRole("button", { name: "定稿" }).click();
  await expect(page.getByRole("heading", { name: "建设街道" })).toBeVisible();
  await page.getByRole("button", { name: "定稿发布" }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(page.getByText("已定稿").first()).toBeVisible();
  await page.getByRole("tab", { name: "变更记录" }).click();
  await expect(page.getByRole("cell", { name: "暗查暗访记录仅3次，与自评不符" }).first()).toBeVisible();
  await shoot(page, "46-review-history");
  await page.getByRole("tab", { name: "指标评审" }).click();
  await shoot(page, "42-review-finalised");
});

test("an assessor returns a resubmitted assessment, and must say why", async ({ page }) => {
  await signIn(page, "nanhu-office");
  await page.goto("/reviews");
  await page.getByText("重新提交", { exact: true }).click();
  const row = page.getByRole("row", { name: /新嘉街道/ });
  await row.getByRole("button", { name: "评审" }).click();
  await expect(page.getByRole("heading", { name: "新嘉街道" })).toBeVisible();
  await page.getByRole("button", { name: "退回修改" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "退回修改" }).click();
  await expect(dialog.getByText("say why the assessment goes back to the unit")).toBeVisible();
  await dialog.getByLabel("退回理由").fill("2.1 隐患整改率佐证材料仍不全，请补充复查记录");
  await dialog.getByRole("button", { name: "退回修改" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("已退回").first()).toBeVisible();
  await expect(page.getByText("2.1 隐患整改率佐证材料仍不全，请补充复查记录")).toBeVisible();
});
