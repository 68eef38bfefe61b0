// What every end-to-end test does: sign in as a demo account, and save a screenshot of a
// screen under frontend_build/screens/ for a person to look at.
import { expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SCREENS = resolve(dirname(fileURLToPath(import.meta.url)), "..", "screens");

export async function signIn(page: Page, username: string, password = "redline-demo") {
  await page.goto("/sign-in");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
}

/** A full-page screenshot named after the screen, once the page has stopped loading. */
export async function shoot(page: Page, name: string) {
  mkdirSync(SCREENS, { recursive: true });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: resolve(SCREENS, `${name}.png`), fullPage: true });
}

/** Click the option of the open antd Select whose text matches: a pattern, a string it contains,
 * or with `exact` a string it is. (antd's role="option" twins are hidden helpers, so the visible
 * item is clicked.) */
export async function chooseOption(
  page: Page,
  option: string | RegExp,
  { exact = false }: { exact?: boolean } = {},
) {
  const text =
    typeof option === "string" && exact
      ? new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`)
      : option;
  await page
    .locator(".ant-select-dropdown:visible .ant-select-item-option")
    .filter({ hasText: text })
    .first()
    .click();
}
