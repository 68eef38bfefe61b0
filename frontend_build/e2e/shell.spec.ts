// Signing in and out, the unit and roles, switching language.
import { expect, test } from "@playwright/test";
import { shoot, signIn, signOut } from "./support";

test("a wrong password is refused beside the form; the right one signs in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await shoot(page, "01-sign-in");
  await page.getByLabel("用户名").fill("xjd-clerk");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await signIn(page, "xjd-clerk");
  await expect(page.getByText("湘家荡区域").first()).toBeVisible();
  await expect(page.getByText("自评填报").first()).toBeVisible();
});

test("the language switches to English and stays; signing out returns to sign-in", async ({ page }) => {
  await signIn(page, "zj-office");
  await page.getByText("English").click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.getByText("中文").click();
  await signOut(page);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("GraphiQL is bundled: it runs a query with the browser's session", async ({ page }) => {
  await signIn(page, "zj-leader");
  await page.goto("/graphiql");
  // GraphiQL shows its button before its editor is ready, and ignores a click that comes
  // first (on a loaded machine the query was never sent): click again, as a person would.
  await expect(async () => {
    await page.getByRole("button", { name: /Execute query/i }).click();
    await expect(page.getByText('"username": "zj-leader"')).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await shoot(page, "02-graphiql");
});

test("the dashboard, the matrix and GraphiQL keep to the content security policy", async ({ page }) => {
  // A script, style, font, image or worker the policy blocks shows as a console error.
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      blocked.push(message.text());
    }
  });
  await signIn(page, "zj-leader");
  await page.getByRole("menuitem", { name: "排名看板" }).click();
  await page.getByLabel("考核周期").click();
  await page.getByTitle("2026年度县（市、区）安全生产工作考核", { exact: true }).click();
  await expect(page.getByRole("img", { name: /各单位总分柱状图/ }).locator("svg path").first()).toBeAttached();
  await page.getByRole("menuitem", { name: "记分卡矩阵" }).click();
  await expect(page.getByRole("heading", { name: "记分卡矩阵" })).toBeVisible();
  await page.goto("/graphiql");
  await expect(async () => {
    await page.getByRole("button", { name: /Execute query/i }).click();
    await expect(page.getByText('"username": "zj-leader"')).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  expect(blocked).toEqual([]);
});
