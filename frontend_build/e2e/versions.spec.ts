// Versions of a cycle's rankings: the closed 2025 county cycle was republished after a veto found
// later on 嘉善县 (a concealed accident). zj-office opens the dashboard's version changes: the
// versions (two or more, the current one marked), and from the one before, 嘉善县 from first to
// among the last with the new veto's reason and evidence and its commendation withdrawn, the
// others up one place. On the open 2026 cycle the versions are provisional, and an earlier
// version the server refuses (its rows no longer kept) is said in words.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { shoot, signIn } from "./support";

const COUNTY_2025 = "2025年度县（市、区）安全生产工作考核";

test("a leader reads what changed when a closed cycle's rankings were republished", async ({ page }) => {
  await signIn(page, "zj-office");
  await page.getByRole("menuitem", { name: "排名看板" }).click();
  await page.getByLabel("考核周期").click();
  await page.getByTitle(COUNTY_2025, { exact: true }).click();
  await expect(page).toHaveURL(/cycle=/);
  await expect(page.getByText(/^2025年度县（市、区）安全生产工作考核：浙江省内/)).toBeVisible();

  // The worker republishes the cycle soon after the demo starts: wait for the second version.
  const open = page.getByRole("button", { name: /版本变化（v\d+ → v\d+）$/ });
  await expect(async () => {
    await page.getByRole("button", { name: "刷新" }).click();
    await expect(open).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  const [, from, to] = (await open.textContent())!.match(/v(\d+) → v(\d+)/)!;
  expect(Number(from)).toBe(Number(to) - 1);
  await expect(page.getByText(`第 ${to} 版排名，发布于`)).toBeVisible();
  await open.click();

  const drawer = page.getByRole("dialog", { name: `版本变化（v${from} → v${to}）` });
  await expect(drawer).toBeVisible();

  // Every version, the current one marked, each final with its rows kept.
  const versions = drawer.getByRole("region", { name: "全部版本" });
  await expect(versions.getByRole("row")).toHaveCount(Number(to) + 1);
  await expect(versions.getByRole("row").filter({ hasText: `第 ${to} 版` })).toContainText("当前");
  await expect(versions.getByRole("row").filter({ hasText: `第 ${from} 版` })).toContainText("对比基准");
  await expect(versions.getByRole("row").filter({ hasText: `第 ${to} 版` })).toContainText("最终");
  await expect(versions.getByRole("row").filter({ hasText: `第 ${to} 版` })).toContainText("已保留");

  const changes = drawer.getByRole("region", { name: `第 ${from} 版到第 ${to} 版的变化` });
  await expect(changes).toContainText(/\d+ 个单位有变化；1 个单位的表扬应予撤销/);

  // 嘉善县: first before, vetoed now and moved down, excellent no more, the new veto with its
  // reason and evidence, its commendation to withdraw.
  const jiashan = changes.getByRole("row").filter({ hasText: "嘉善县" });
  await expect(jiashan).toContainText("第 1 名 →");
  await expect(jiashan.getByLabel(/^下降 \d+ 位$/)).toBeVisible();
  await expect(jiashan).toContainText("优秀");
  await expect(jiashan).toContainText("不合格");
  await expect(jiashan).toContainText("新增一票否决");
  await expect(jiashan).toContainText("瞒报");
  await expect(jiashan).toContainText("理由：2026年7月查实");
  await expect(jiashan).toContainText("依据：嘉善县“10·17”事故调查报告");
  await expect(jiashan.getByText("撤销表扬", { exact: true })).toBeVisible();

  // 平湖市, second before, moved up one place with nothing of its own changed.
  const pinghu = changes.getByRole("row").filter({ hasText: "平湖市" });
  await expect(pinghu).toContainText("第 2 名 → 第 1 名");
  await expect(pinghu.getByLabel("上升 1 位")).toBeVisible();
  await expect(pinghu).toContainText("名次随其他单位的变化顺延");
  await expect(pinghu.getByText("撤销表扬", { exact: true })).toHaveCount(0);
  // The cause first: 嘉善县 heads the list.
  await expect(changes.getByRole("row").nth(1)).toContainText("嘉善县");
  await page.setViewportSize({ width: 1280, height: 1120 });
  await shoot(page, "25-ranking-versions");

  // The ranking report compared with the version chosen, printed in the background.
  const pdf = page.waitForEvent("download", { timeout: 120_000 });
  await drawer.getByRole("button", { name: `打印与第 ${from} 版对比的排名报告（PDF）` }).click();
  const file = await pdf;
  expect(file.suggestedFilename()).toContain(`-since-v${from}`);
  expect(readFileSync((await file.path())!).subarray(0, 4).toString("latin1")).toBe("%PDF");

  // Closing the drawer and coming back keeps the dashboard as it was.
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(page.getByRole("region", { name: "拟表扬单位" })).toBeVisible();
});

test("an open cycle's provisional versions, and a version that cannot be compared", async ({ page }) => {
  // The earlier version's rows pruned on the server in the meantime (as a provisional version's
  // are past the newest three): the API's refusal is said in words.
  await page.route("/graphql", async (route) => {
    if (!route.request().postData()?.includes("RankingVersionChanges")) return route.fallback();
    const { variables } = route.request().postDataJSON();
    await route.fulfill({
      json: {
        data: null,
        errors: [
          {
            message: `version ${variables.fromVersion} was provisional and its rows are no longer kept`,
            path: ["rankingChanges"],
            extensions: { code: "INVALID" },
          },
        ],
      },
    });
  });
  await signIn(page, "zj-office");
  await page.getByRole("menuitem", { name: "排名看板" }).click();
  await page.getByLabel("考核周期").click();
  await page.getByTitle("2026年度县（市、区）安全生产工作考核", { exact: true }).click();
  const open = page.getByRole("button", { name: /版本变化（v\d+ → v\d+）$/ });
  await expect(async () => {
    await page.getByRole("button", { name: "刷新" }).click();
    await expect(open).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  const [, from] = (await open.textContent())!.match(/v(\d+) →/)!;
  await open.click();

  const drawer = page.getByRole("dialog", { name: /版本变化（v\d+ → v\d+）$/ });
  const versions = drawer.getByRole("region", { name: "全部版本" });
  await expect(versions.getByRole("row").filter({ hasText: "当前" })).toContainText("临时");
  await expect(drawer.getByRole("alert")).toContainText(`第 ${from} 版是临时排名，明细已不再保留，无法对比`);
});
