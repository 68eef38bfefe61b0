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
