// The consequences register (奖惩登记) and the template's 奖惩规则: zj-office reads the register of
// the closed 2025 county cycle (final, the day it was decided, criticism, interview and a veto's
// bar, each with its grounds; its one commendation gone with a veto found after it closed),
// downloads it as Excel and prints it as PDF, sees the open 2026 cycle's register as a preview
// with a commendation; then edits the 2027 draft template's policy
// (a refused quota and late-veto years shown beside their fields, then a new quota, triggers,
// months and no late veto saved) and
// reads the published template's policy.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { shoot, signIn } from "./support";

const COUNTY_2025 = "2025年度县（市、区）安全生产工作考核";
const COUNTY_2026 = "2026年度县（市、区）安全生产工作考核";
const DRAFT_2027 = "浙江省2027年度县（市、区）安全生产工作考核细则";
const PUBLISHED_2026 = "浙江省2026年度县（市、区）安全生产工作考核细则";

test("the province reads the register of a closed cycle and of an open one", async ({ page }) => {
  await signIn(page, "zj-office");
  await page.getByRole("menuitem", { name: "排名看板" }).click();
  await page.getByLabel("考核周期").click();
  await page.getByTitle(COUNTY_2025, { exact: true }).click();
  await expect(page).toHaveURL(/cycle=/);

  // The register is the tab beside the leaders' lists, kept in the address.
  await expect(page.getByRole("region", { name: "拟表扬单位" })).toBeVisible();
  await page.getByRole("tab", { name: "奖惩登记" }).click();
  await expect(page).toHaveURL(/tab=register/);
  const register = page.getByRole("region", { name: "奖惩登记" });
  await expect(register).toBeVisible();
  // Final: the cycle closed on 10 February 2026, and the template's policy in one line.
  await expect(register.getByRole("alert")).toContainText("最终结果");
  await expect(register.getByRole("alert")).toContainText("2026年2月10日");
  await expect(register).toContainText("表扬名额 2 个");
  await expect(register).toContainText("约谈：一票否决、黄牌警告、重大隐患逾期未整改");
  await expect(register).toContainText("一票否决单位主要负责人 12 个月内不得评优评先、提拔");

  // 嘉善县, the only excellent county, lost its commendation to a veto found after the cycle
  // closed (its rankings republished): nobody is commended now.
  await expect(register.getByRole("row").filter({ has: page.getByText("通报表扬", { exact: true }) })).toHaveCount(0);
  const jiashan = register.getByRole("row").filter({ hasText: "嘉善县" });
  await expect(jiashan.getByRole("list", { name: "通报批评的依据" })).toContainText("瞒报");

  // A vetoed county: criticised, its leaders interviewed and barred until a day a year on.
  const vetoed = register.getByRole("row").filter({ has: page.getByText("取消评优评先及提拔资格", { exact: true }) });
  await expect(vetoed.first()).toContainText("通报批评");
  await expect(vetoed.first()).toContainText("约谈主要负责人");
  await expect(vetoed.first().getByRole("list", { name: "通报批评的依据" })).toContainText("一票否决：");
  await expect(vetoed.first()).toContainText("2027年2月9日");
  // A yellow card brings an interview.
  await expect(register.getByRole("list", { name: "约谈主要负责人的依据" }).filter({ hasText: "黄牌警告：" }).first()).toBeVisible();

  // The Excel workbook of the same cycle and region.
  const excel = register.getByRole("link", { name: /下载 Excel/ });
  await expect(excel).toHaveAttribute("href", /^\/files\/rankings\/consequences\.xlsx\?cycle=.+&scope=.+$/);
  const [workbook] = await Promise.all([page.waitForEvent("download"), excel.click()]);
  expect(workbook.suggestedFilename()).toMatch(/^consequences-.+\.xlsx$/);
  expect(readFileSync((await workbook.path())!).subarray(0, 2).toString("latin1")).toBe("PK");

  await register.scrollIntoViewIfNeeded();
  await shoot(page, "24-consequences-register");

  // The PDF, printed in the background.
  const pdf = page.waitForEvent("download", { timeout: 120_000 });
  await register.getByRole("button", { name: "打印奖惩登记（PDF）" }).click();
  const file = await pdf;
  expect(readFileSync((await file.path())!).subarray(0, 4).toString("latin1")).toBe("%PDF");
  await expect(register.getByRole("status").getByText("已生成，下载已开始")).toBeVisible();

  // The open 2026 cycle (the register's tab stays open): a preview, its bars counted from a
  // closing still to come.
  await page.getByLabel("考核周期").click();
  await page.getByTitle(COUNTY_2026, { exact: true }).click();
  await expect(page).toHaveURL(/tab=register/);
  await expect(register.getByRole("alert")).toContainText("预览");
  // A commendation with its grounds: the rank in the province and the excellent grade.
  const praise = register.getByRole("list", { name: "通报表扬的依据" });
  await expect(praise).toHaveCount(1);
  await expect(praise).toContainText(/在浙江省排名第 1（共 \d+ 个）/);
  await expect(praise).toContainText("优秀");
  await expect(register.getByText("周期关闭后 12 个月").first()).toBeVisible();
});

test("a template author edits the draft's 奖惩规则 and reads a published one's", async ({ page }) => {
  await signIn(page, "zj-office");
  await page.getByRole("menuitem", { name: "考核模板" }).click();
  await page.getByRole("link", { name: DRAFT_2027 }).first().click();
  await expect(page.getByRole("heading", { name: DRAFT_2027 })).toBeVisible();

  const rules = page.getByRole("region", { name: "奖惩规则" });
  const policy = rules.getByTestId("consequence-policy");
  // The draft shows the family's policy, loaded into the form.
  await expect(policy).toHaveText(
    "表扬名额 2 个；通报批评：一票否决、考核不合格；约谈：一票否决、黄牌警告、重大隐患逾期未整改；" +
      "一票否决单位主要负责人 12 个月内不得评优评先、提拔；期满 3 年内查实的瞒报事故可追溯否决",
  );
  const quota = rules.getByLabel("表扬名额（个）");
  await expect(quota).toHaveValue("2");
  const years = rules.getByLabel("追溯否决年限（年）");
  await expect(years).toHaveValue("3");

  // A quota of none and a late veto four years on are refused, the reasons beside the fields.
  await quota.fill("0");
  await years.fill("4");
  await page.getByRole("button", { name: "保存草稿" }).click();
  const quotaItem = rules.locator(".ant-form-item").filter({ has: page.getByLabel("表扬名额（个）") });
  await expect(quotaItem).toContainText("between 1 and 1000");
  const yearsItem = rules.locator(".ant-form-item").filter({ has: page.getByLabel("追溯否决年限（年）") });
  await expect(yearsItem).toContainText("0 to 3 years");

  // Three commended, criticised for a veto or a yellow card, interviewed for a veto only, barred 24 months.
  await quota.fill("3");
  const criticise = rules.getByRole("group", { name: "以下情形通报批评" });
  await criticise.getByLabel("考核不合格").uncheck();
  await criticise.getByLabel("黄牌警告").check();
  const interview = rules.getByRole("group", { name: "以下情形约谈主要负责人" });
  await interview.getByLabel("黄牌警告").uncheck();
  await interview.getByLabel("重大隐患逾期未整改").uncheck();
  await rules.getByLabel(/不得评优评先、提拔的期限/).fill("24");
  // A late veto two years on; then blank, none at all.
  await years.fill("2");
  await expect(policy).toContainText("期满 2 年内查实的瞒报事故可追溯否决");
  await years.fill("");
  await expect(policy).not.toContainText("追溯否决");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("草稿已保存")).toBeVisible();
  await expect(quotaItem).not.toContainText("between 1 and 1000");
  await expect(yearsItem).not.toContainText("0 to 3 years");

  // Read back from the server.
  await page.reload();
  await expect(policy).toHaveText(
    "表扬名额 3 个；通报批评：一票否决、黄牌警告；约谈：一票否决；" +
      "一票否决单位主要负责人 24 个月内不得评优评先、提拔",
  );
  await expect(quota).toHaveValue("3");
  await expect(years).toHaveValue("0");
  await expect(criticise.getByLabel("考核不合格")).not.toBeChecked();
  await rules.scrollIntoViewIfNeeded();
  await shoot(page, "53-template-consequences");

  // A published template shows its policy, read only.
  await page.goto("/templates");
  await page.getByRole("link", { name: PUBLISHED_2026 }).first().click();
  await expect(page.getByText("该模板已发布，只能查看。")).toBeVisible();
  const published = page.getByRole("region", { name: "奖惩规则" });
  await expect(published.getByTestId("consequence-policy")).toContainText("表扬名额 2 个");
  await expect(published.getByLabel("表扬名额（个）")).toBeDisabled();
  await expect(published.getByTestId("consequence-policy")).toContainText("期满 3 年内查实的瞒报事故可追溯否决");
  await expect(published.getByLabel("追溯否决年限（年）")).toHaveValue("3");
  await expect(published.getByLabel("追溯否决年限（年）")).toBeDisabled();
});
