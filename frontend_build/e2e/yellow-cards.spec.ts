// Yellow cards (黄牌警告): the leaders' dashboard flags them beside the vetoes (海宁市: a yellow
// card in 2025 and again in 2026, so vetoed; 桐乡市: three deaths in one accident), and Jiaxing's
// office raises one by hand on 秀洲区's submitted assessment, sees it take no points, and
// withdraws it.
import { expect, test } from "@playwright/test";
import { shoot, signIn } from "./support";

const COUNTY_2026 = "2026年度县（市、区）安全生产工作考核";

test("a leader sees yellow cards beside the vetoes, and off the commendation list", async ({ page }) => {
  await signIn(page, "zj-leader");
  await page.getByRole("menuitem", { name: "排名看板" }).click();
  await page.getByLabel("考核周期").click();
  await page.getByTitle(COUNTY_2026, { exact: true }).click();
  await expect(page).toHaveURL(/cycle=/);

  const haining = page.getByRole("row", { name: /海宁市/ });
  await haining.getByRole("button", { name: "一票否决" }).hover();
  await expect(page.getByRole("tooltip")).toContainText("连续两个年度被黄牌警告");
  await page.mouse.move(0, 0);
  await expect(page.getByRole("tooltip")).toBeHidden();
  await haining.getByRole("button", { name: "黄牌警告" }).hover();
  const tip = page.getByRole("tooltip");
  await expect(tip).toContainText("黄牌警告理由");
  await expect(tip).toContainText("2026年8月被省安委会通报批评");
  await expect(tip).toContainText("浙安委〔2026〕15号通报");
  await page.mouse.move(0, 0);
  await expect(page.getByRole("tooltip")).toBeHidden();
  await expect(page.getByRole("row", { name: /桐乡市/ }).getByRole("button", { name: "黄牌警告" })).toBeVisible();

  // The lists: no yellow-carded unit is a candidate; the criticism list gives the yellow card.
  const commended = page.getByRole("region", { name: "拟表扬单位" });
  await expect(commended).toContainText("平湖市");
  await expect(commended).not.toContainText("海宁市");
  await expect(page.getByRole("region", { name: "拟通报批评 / 约谈单位" })).toContainText(
    "黄牌警告：被省安委会通报批评",
  );
  await haining.scrollIntoViewIfNeeded();
  await shoot(page, "23-rankings-yellow-cards");
});

test("an assessor raises a yellow card by hand: no points off, then withdrawn", async ({ page }) => {
  await signIn(page, "jx-office");
  await page.goto("/reviews");
  const row = page.getByRole("row", { name: /秀洲区/ }).filter({ hasText: "2026年度县" });
  await row.getByRole("button", { name: "评审" }).click();
  await expect(page.getByRole("heading", { name: "秀洲区" })).toBeVisible();
  const reviewed = page.locator(".ant-statistic").filter({ hasText: "评审总分" }).locator(".ant-statistic-content");
  const total = await reviewed.textContent();

  await page.getByRole("tab", { name: /否决与黄牌/ }).click();
  await page.getByRole("button", { name: "一票否决 / 黄牌警告" }).click();
  const dialog = page.getByRole("dialog");
  // The manual rules: V4 (a veto) first, then Y1 (a yellow card), picked with the keyboard.
  await dialog.getByLabel("规则").focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.locator(".ant-select-dropdown:visible")).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(dialog.getByText("黄牌警告不扣分、不改变等级和名次")).toBeVisible();
  await dialog.getByLabel("理由", { exact: true }).fill("2026年10月被省安委会通报批评：城镇燃气专项整治滞后");
  await dialog.getByLabel("证据").fill("浙安委〔2026〕19号通报");
  await dialog.getByRole("button", { name: "一票否决 / 黄牌警告" }).click();
  await expect(dialog).toBeHidden();

  const flag = page.getByRole("row", { name: /Y1 被省安委会通报批评/ });
  await expect(flag.getByText("生效中")).toBeVisible();
  await expect(page.locator(".ant-tag").filter({ hasText: /^黄牌警告$/ }).first()).toBeVisible();
  await expect(reviewed).toHaveText(total ?? "");
  await shoot(page, "47-review-yellow-card");

  await flag.getByRole("button", { name: "撤销" }).click();
  const withdraw = page.getByRole("dialog");
  await withdraw.getByRole("button", { name: "撤销" }).click();
  await expect(withdraw.getByText("say why the yellow card is withdrawn")).toBeVisible();
  await withdraw.getByLabel("撤销理由").fill("通报对象为秀洲区某企业，非区政府");
  await withdraw.getByRole("button", { name: "撤销" }).click();
  await expect(withdraw).toBeHidden();
  await expect(page.getByText("已撤销：通报对象为秀洲区某企业，非区政府")).toBeVisible();
});
