// The leaders' scorecard matrix: zj-leader reads the 2026 county matrix (banded cells, not
// applicable in grey, the averages on top), sorts by a category, downloads that view as Excel,
// searches, opens a cell's trend over the 2025 and 2026 cycles, then in Jiaxing's township cycle
// drills from 南湖区 to its townships keeping the search; the URL brings every choice back.
import { expect, type Locator, type Page, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { chooseOption, shoot, signIn } from "./support";

const COUNTY_2026 = "2026年度县（市、区）安全生产工作考核";
const COUNTY_2025 = "2025年度县（市、区）安全生产工作考核";
const TOWNSHIP_2026 = "2026年度嘉兴市乡镇（街道）安全生产工作考核";
const LOOKS = {
  GREEN: "rgb(217, 247, 190)",
  YELLOW: "rgb(255, 241, 184)",
  RED: "rgb(255, 204, 199)",
  NOT_APPLICABLE: "rgb(240, 240, 240)",
};

/** The table cell holding the matrix cell a reader knows as "unit，column：value". */
function cellOf(page: Page, name: string | RegExp): Locator {
  return page.locator("td").filter({ has: page.getByRole("button", { name }) });
}

/** The percents of one column's cells, top to bottom (null for missing or not applicable). */
async function columnPercents(page: Page, column: string): Promise<(number | null)[]> {
  const labels = await page
    .locator(".ant-table-tbody .matrix-cell[aria-label]")
    .evaluateAll(
      (cells, wanted) =>
        cells
          .map((cell) => cell.getAttribute("aria-label") ?? "")
          .filter((label) => label.includes(`，${wanted}：`)),
      column,
    );
  return labels.map((label) => {
    const match = /：([\d.]+)%$/.exec(label);
    return match ? Number(match[1]) : null;
  });
}

/**
 * A full-page screenshot of a window wide enough for every category column and as tall as the
 * page (so the table's sticky scrollbar does not cross the rows).
 */
async function shootWhole(page: Page, name: string) {
  await page.setViewportSize({ width: 1600, height: 800 });
  await page.waitForLoadState("networkidle");
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1600, height: Math.max(800, height) });
  await shoot(page, name);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("a leader reads the scorecard matrix, sorts, exports, searches, opens a trend and drills down", async ({
  page,
}) => {
  await signIn(page, "zj-leader");
  await page.getByRole("menuitem", { name: "记分卡矩阵" }).click();
  await expect(page.getByRole("heading", { name: "记分卡矩阵" })).toBeVisible();
  await page.getByLabel("考核周期").click();
  await page.getByTitle(COUNTY_2026, { exact: true }).click();
  await expect(page).toHaveURL(/\/rankings\/matrix\?cycle=/);
  await expect(page.getByText("浙江省内县（区）记分卡")).toBeVisible();

  // Each unit's categories on their bands' colours, the total with its grade and arrows, a veto.
  const pinghu = page.getByRole("row", { name: /平湖市/ });
  await expect(pinghu).toContainText("优秀");
  await expect(pinghu.getByLabel(/较上期上升 [\d.]+ 分/)).toBeVisible();
  await expect(page.getByRole("row", { name: /秀洲区/ }).getByLabel(/上升 3 位/)).toBeVisible();
  await expect(cellOf(page, "平湖市，1 安全生产责任体系：100%")).toHaveCSS("background-color", LOOKS.GREEN);
  await expect(cellOf(page, "桐乡市，4 专项整治任务：26.7%")).toHaveCSS("background-color", LOOKS.RED);
  await expect(cellOf(page, "桐乡市，2 风险管控与隐患排查治理：60%")).toHaveCSS(
    "background-color",
    LOOKS.YELLOW,
  );
  // The local category does not apply to the counties: grey N/A, never 0.
  const notApplicable = cellOf(page, "平湖市，7 地方特色指标：不适用");
  await expect(notApplicable).toHaveText("不适用");
  await expect(notApplicable).toHaveCSS("background-color", LOOKS.NOT_APPLICABLE);
  const tongxiang = page.getByRole("row", { name: /桐乡市/ });
  await tongxiang.getByRole("button", { name: "一票否决" }).hover();
  await expect(page.getByRole("tooltip")).toContainText("发生较大及以上生产安全责任事故");
  await page.mouse.move(0, 0);

  // The averages over every unit, pinned above the rows: percent, band, what was counted.
  const averages = page.locator(".ant-table-summary");
  await expect(averages).toContainText("平均");
  await expect(averages).toContainText(/计 5/);
  await expect(averages).toContainText("不适用 5");
  await expect(averages.locator('[data-band="GREEN"]').first()).toBeVisible();
  await expect(page.getByLabel("色带（总分）")).toContainText("绿色 ≥ 90%");
  await page.getByLabel("考核周期").blur();
  await expect(page.getByRole("tooltip")).toBeHidden();
  await shootWhole(page, "22-scorecard-matrix");

  // Sort by a category: its lowest percent first, then its highest; the order is in the URL.
  const header = page.getByRole("columnheader", { name: /风险管控与隐患排查治理/ });
  await header.click();
  await expect(page).toHaveURL(/sort=COLUMN&sortColumn=2(&|$)/);
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  // The rows follow once the server has answered: five percents, in order.
  const order = (percents: (number | null)[]) =>
    percents.length !== 5
      ? "partial"
      : percents.join() === [...percents].sort((a, b) => a! - b!).join()
        ? "ascending"
        : percents.join() === [...percents].sort((a, b) => b! - a!).join()
          ? "descending"
          : "unsorted";
  await expect
    .poll(async () => order(await columnPercents(page, "2 风险管控与隐患排查治理")))
    .toBe("ascending");
  await header.click();
  await expect(page).toHaveURL(/descending=1/);
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect
    .poll(async () => order(await columnPercents(page, "2 风险管控与隐患排查治理")))
    .toBe("descending");
  await expect(page.getByRole("link", { name: /导出 Excel/ })).toHaveAttribute(
    "href",
    /^\/files\/rankings\/matrix\.xlsx\?cycle=.+&scope=.+&level=COUNTY&columns=CATEGORY&sort=COLUMN&sortColumn=2&descending=1$/,
  );

  // The same view as a workbook.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /导出 Excel/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^ranking-matrix-\d+-330000\.xlsx$/);
  const workbook = readFileSync((await download.path())!);
  expect(workbook.subarray(0, 2).toString()).toBe("PK");

  // Search, kept with the order through a reload; the averages follow the rows found.
  await page.getByLabel("搜索单位").fill("桐乡");
  await page.getByLabel("搜索单位").press("Enter");
  await expect(page).toHaveURL(/search=%E6%A1%90%E4%B9%A1/);
  await expect(page.locator(".ant-table-tbody .ant-table-row")).toHaveCount(1);
  await expect(averages).toContainText("计 1");
  await page.reload();
  await expect(page.getByLabel("搜索单位")).toHaveValue("桐乡");
  await expect(page.getByRole("columnheader", { name: /风险管控与隐患排查治理/ })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
  await expect(page.locator(".ant-table-tbody .ant-table-row")).toHaveCount(1);

  // A cell's trend over the cycles: the line over the bands, and each cycle's figures.
  await page.getByRole("button", { name: /^桐乡市，4 专项整治任务：/ }).click();
  const drawer = page.getByRole("dialog", { name: /桐乡市 · 4 专项整治任务/ });
  await expect(drawer).toBeVisible();
  await expect(
    drawer
      .getByRole("img", { name: /各周期得分率折线图/ })
      .locator("svg path")
      .first(),
  ).toBeAttached();
  await expect(drawer.getByRole("row", { name: new RegExp(COUNTY_2025) })).toContainText("/ 15.00");
  await expect(drawer.getByRole("row", { name: new RegExp(COUNTY_2026) })).toContainText("4.00 / 15.00");
  await shoot(page, "23-scorecard-trend");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  // Jiaxing's township cycle, ranked by county: find 南湖区 and open its townships. The search
  // (and the order) stay; the breadcrumb leads back up.
  await page.getByRole("button", { name: "清除筛选" }).click();
  await page.getByLabel("考核周期").click();
  await page.getByTitle(TOWNSHIP_2026, { exact: true }).click();
  await expect(page.getByText("嘉兴市内乡镇（街道）记分卡")).toBeVisible();
  await page.getByLabel("排名层级").click();
  await chooseOption(page, "县（区）", { exact: true });
  await expect(page.getByText("嘉兴市内县（区）记分卡")).toBeVisible();
  await page.getByLabel("搜索单位").fill("南湖");
  await page.getByLabel("搜索单位").press("Enter");
  await expect(page).toHaveURL(/search=%E5%8D%97%E6%B9%96/);
  const nanhu = page.getByRole("row", { name: /南湖区/ });
  await expect(nanhu).toContainText("330402");
  await nanhu.getByRole("button", { name: "打开 南湖区 的乡镇（街道）" }).click();

  await expect(page.getByRole("navigation", { name: "排名范围" })).toContainText("嘉兴市/南湖区");
  await expect(page.getByText("南湖区内乡镇（街道）记分卡")).toBeVisible();
  await expect(page).toHaveURL(/level=TOWNSHIP/);
  await expect(page).toHaveURL(/search=%E5%8D%97%E6%B9%96/);
  await expect(page.getByLabel("搜索单位")).toHaveValue("南湖");
  await expect(page.locator(".ant-table-tbody .ant-table-row")).toHaveCount(1);
  await expect(page.getByRole("row", { name: /南湖街道/ })).toBeVisible();

  // Without the search, all of 南湖区's ranked townships (five in the demo, more once the
  // earlier specs' reviews are ranked), each banded.
  await page.getByRole("button", { name: "清除筛选" }).click();
  await expect(page.locator(".ant-table-tbody .ant-table-row").nth(4)).toBeVisible();
  await expect(page.getByRole("row", { name: /新兴街道/ })).toContainText("优秀");
  await expect(cellOf(page, "凤桥镇，2 风险管控与隐患排查治理：50%")).toHaveCSS(
    "background-color",
    LOOKS.RED,
  );
  await shootWhole(page, "24-scorecard-townships");

  // Back up to Jiaxing's counties.
  await page.getByRole("navigation", { name: "排名范围" }).getByRole("button", { name: "嘉兴市" }).click();
  await expect(page.getByText("嘉兴市内县（区）记分卡")).toBeVisible();
  await expect(page.getByRole("row", { name: /南湖区/ })).toBeVisible();
});
