// Double-random spot checks (双随机, 一公开): a township clerk under Jiaxing reads the demo's
// published draw of Jiaxing's counties (its seed, reproduced, targets and inspectors); Nanhu's
// assessor draws two towns and two streets of the township cycle from a seed, with inspectors
// picked from its office and its townships' clerks, and publishes the draw; then Qixing's clerk,
// a township under Nanhu, reads it.
import { expect, type Locator, type Page, test } from "@playwright/test";
import { shoot, signIn, signOut } from "./support";

const COUNTY_2026 = "2026年度县（市、区）安全生产工作考核";
const TOWNSHIP_2026 = "2026年度嘉兴市乡镇（街道）安全生产工作考核";
const DEMO_SEED = "嘉兴市2026年度第一批双随机抽查";
const SEED = "南湖区2026年第二批（界面测试）";

test.describe.configure({ timeout: 180_000 });

/** The id of the cycle named `name`, as the signed-in user sees it. */
async function cycleId(page: Page, name: string): Promise<string> {
  const answer = await page.evaluate(async () => {
    const response = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: "{ cycles(first: 100) { edges { node { id name } } } }" }),
    });
    return response.json();
  });
  const found = answer.data.cycles.edges.map((e: { node: { id: string; name: string } }) => e.node);
  const cycle = found.find((c: { name: string }) => c.name === name);
  expect(cycle, name).toBeTruthy();
  return cycle.id;
}

/** Type into the open select `field` and take the active option, which must match `expected`. */
async function pickTyped(page: Page, field: Locator, text: string, expected: RegExp) {
  await field.focus();
  await field.fill(text);
  await expect(page.locator(".ant-select-dropdown:visible .ant-select-item-option-active")).toHaveText(expected);
  await field.press("Enter");
}

test("a township under Jiaxing reads the demo's published draw", async ({ page }) => {
  await signIn(page, "xjd-clerk");
  await page.goto(`/cycles/${await cycleId(page, COUNTY_2026)}`);
  const draw = page.getByTestId("spot-check-draw").filter({ hasText: DEMO_SEED });
  await expect(draw).toBeVisible();
  await expect(draw.getByText("已公开", { exact: true })).toBeVisible();
  await expect(draw.getByText("按种子复现一致")).toBeVisible();
  // One district, one county, one county-level city, two inspectors each.
  await expect(draw.locator(".ant-table-tbody tr.ant-table-row")).toHaveCount(3);
  for (const kind of ["市辖区 1", "县 1", "县级市 1"]) {
    await expect(draw.locator(".ant-table-tbody tr.ant-table-row").filter({ hasText: kind })).toHaveCount(1);
  }
  await draw.scrollIntoViewIfNeeded();
  await shoot(page, "65-spot-check-draw-published");
  await signOut(page);
});

test("Nanhu draws towns and streets from a seed, publishes, and Qixing reads it", async ({ page }) => {
  await signIn(page, "nanhu-office");
  const id = await cycleId(page, TOWNSHIP_2026);
  await page.goto(`/cycles/${id}`);
  const section = page.getByTestId("spot-check-draws");
  await section.getByRole("button", { name: "随机抽取" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("随机种子").fill(SEED);
  // The first stratum row is towns (镇); set 2, then add streets (街道), 2.
  await dialog.getByLabel("数量", { exact: true }).first().fill("2");
  await dialog.getByRole("button", { name: "添加类别" }).click();
  await pickTyped(page, dialog.getByLabel("类别", { exact: true }).nth(1), "街道", /^街道$/);
  await dialog.getByLabel("数量", { exact: true }).nth(1).fill("2");
  const inspectors = dialog.getByLabel("执法检查人员库");
  await pickTyped(page, inspectors, "南湖区安委办", /南湖区安委办/);
  await pickTyped(page, inspectors, "湘家荡区域 clerk", /湘家荡区域 clerk/);
  await pickTyped(page, inspectors, "七星街道 clerk", /七星街道 clerk/);
  await inspectors.press("Escape");
  await dialog.getByLabel("每个对象的检查人员数").fill("2");
  await shoot(page, "66-spot-check-draw-form");
  await dialog.getByRole("button", { name: "随机抽取" }).click();
  await expect(dialog).toBeHidden();

  const draw = section.getByTestId("spot-check-draw").filter({ hasText: SEED });
  await expect(draw).toBeVisible();
  await expect(draw.getByText("未公开（仅本级及上级办公室可见）")).toBeVisible();
  await expect(draw.getByText("按种子复现一致")).toBeVisible();
  await expect(draw.locator(".ant-table-tbody tr.ant-table-row")).toHaveCount(4);
  await expect(draw.locator(".ant-table-tbody tr.ant-table-row").filter({ hasText: /^镇 [12]/ })).toHaveCount(2);
  await expect(draw.locator(".ant-table-tbody tr.ant-table-row").filter({ hasText: /^街道 [12]/ })).toHaveCount(2);
  // Qixing's clerk never checks Qixing (七星街道).
  const qixing = draw.locator(".ant-table-tbody tr.ant-table-row").filter({ hasText: "330402015" });
  if ((await qixing.count()) > 0) await expect(qixing).not.toContainText("七星街道 clerk");
  await draw.getByRole("button", { name: "公开" }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(draw.getByText("已公开", { exact: true })).toBeVisible();
  await draw.scrollIntoViewIfNeeded();
  await shoot(page, "67-spot-check-draw-drawn");
  await signOut(page);

  await signIn(page, "qixing-clerk");
  await page.goto(`/cycles/${id}`);
  const seen = page.getByTestId("spot-check-draw").filter({ hasText: SEED });
  await expect(seen).toBeVisible();
  await expect(seen.locator(".ant-table-tbody tr.ant-table-row")).toHaveCount(4);
  await expect(page.getByTestId("spot-check-draws").getByRole("button", { name: "随机抽取" })).toHaveCount(0);
  await signOut(page);
});
