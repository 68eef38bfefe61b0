// The leaders' dashboard and comparison: zj-leader reads the 2026 county ranking, sees grades and
// a veto's reason, the chart, and compares two counties (the choice kept in the URL).
import { expect, test } from "@playwright/test";
import { shoot, signIn } from "./support";

const COUNTY_2026 = "2026年度县（市、区）安全生产工作考核";

test("a leader reads the published county ranking and compares two counties", async ({ page }) => {
  await signIn(page, "zj-leader");
  await page.getByRole("menuitem", { name: "排名看板" }).click();
  await expect(page.getByRole("heading", { name: "排名看板" })).toBeVisible();

  await page.getByLabel("考核周期").click();
  await page.getByTitle(COUNTY_2026, { exact: true }).click();
  await expect(page).toHaveURL(/cycle=/);

  // Ranked units with their grades, the movement arrow, and a vetoed one with its reason.
  const first = page.getByRole("row", { name: /平湖市/ });
  await expect(first).toContainText("优秀");
  // 秀洲区 was 5th in 2025 (once 嘉善县's late veto republished that ranking): up 3.
  const xiuzhou = page.getByRole("row", { name: /秀洲区/ });
  await expect(xiuzhou).toContainText("良好");
  await expect(xiuzhou.getByLabel(/上升 3 位/)).toBeVisible();
  const vetoed = page.getByRole("row", { name: /桐乡市/ });
  await expect(vetoed).toContainText("不合格");
  await vetoed.getByRole("button", { name: "一票否决" }).hover();
  await expect(page.getByRole("tooltip")).toContainText("发生较大及以上生产安全责任事故");

  // The figures, the charts and the leaders' lists.
  await expect(page.getByText(/第 \d+ 版排名，发布于/)).toBeVisible();
  const bars = page.getByRole("img", { name: /各单位总分柱状图/ });
  await expect(bars.locator("svg path").first()).toBeAttached();
  await expect(bars).toContainText("平湖市");
  await expect(page.getByRole("img", { name: /各等次单位数量饼图/ }).locator("svg")).toBeAttached();
  const summary = page.getByRole("region", { name: "汇总指标" });
  await expect(summary).toContainText("平均分");
  await expect(summary).toContainText(/一票否决单位\s*[1-9]/);
  await expect(page.getByRole("region", { name: "拟表扬单位" })).toContainText("平湖市");
  await expect(page.getByRole("region", { name: "拟通报批评 / 约谈单位" })).toContainText("海盐县");
  await page.mouse.move(0, 0);
  await page.getByLabel("考核周期").blur();
  await expect(page.getByRole("tooltip")).toBeHidden();
  await shoot(page, "20-rankings-dashboard");

  // Drill into Jiaxing: its counties ranked among themselves, the way back up in the breadcrumb.
  await page.getByRole("combobox", { name: /^下钻/ }).click();
  await page.getByTitle(/^嘉兴市/).click();
  await expect(page).toHaveURL(/scope=/);
  await expect(page.getByRole("navigation", { name: "排名范围" })).toContainText("浙江省/嘉兴市");
  await expect(page.getByText(/嘉兴市内县（区）排名/)).toBeVisible();
  await expect(page.getByRole("row", { name: /平湖市/ })).toContainText("优秀");

  // Tick two counties and compare them.
  const compare = page.getByRole("button", { name: /(^|\s)对比$/ });
  await expect(compare).toBeDisabled();
  await page.getByRole("checkbox", { name: "选择 平湖市 进行对比" }).check();
  await page.getByRole("checkbox", { name: "选择 秀洲区 进行对比" }).check();
  await compare.click();

  await expect(page.getByRole("heading", { name: "单位对比" })).toBeVisible();
  await expect(page).toHaveURL(/\/rankings\/compare\?cycles=.+&units=.+/);
  const categories = page.getByRole("table").first();
  await expect(categories).toContainText("安全生产责任体系");
  await expect(page.getByRole("columnheader", { name: "平湖市" }).first()).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "秀洲区" }).first()).toBeVisible();
  await expect(
    page
      .getByRole("img", { name: /分类得分分组柱状图/ })
      .locator("svg path")
      .first(),
  ).toBeAttached();
  await expect(page.getByRole("img", { name: "名次变化" }).locator("svg")).toBeAttached();
  // Both cycles of the county family, oldest first: 2025 then 2026.
  await expect(
    page.getByRole("columnheader", { name: "2025年度县（市、区）安全生产工作考核" }),
  ).toBeVisible();

  // The URL alone brings the same comparison back (a leader can share it).
  const shared = page.url();
  await page.goto("/rankings");
  await page.goto(shared);
  await expect(page.getByRole("columnheader", { name: "秀洲区" }).first()).toBeVisible();
  await shoot(page, "21-rankings-compare");
});
