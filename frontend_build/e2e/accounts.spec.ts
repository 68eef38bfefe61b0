// Accounts: an admin creates a user of Xiuzhou, who must choose their own password at the first
// sign-in (a weak one refused with the server's reason); the admin resets it; the audit log
// shows what happened. A user's own account page: browsers, an API token shown once, and the
// second factor (a QR code, then a code at every sign-in). Each test makes its own users
// (unique names): the demo is shared with the other specs.
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { createHmac } from "node:crypto";
import { chooseOption, shoot, signIn, signOut } from "./support";

const STRONG = "Lantern-Fjord-Meadow-93";

/** Open Xiuzhou (330411) on the units screen. */
async function openXiuzhou(page: Page) {
  await page.goto("/units");
  const search = page.getByLabel("按名称或编码搜索");
  await search.fill("330411");
  await search.press("Enter");
  await page.getByRole("button", { name: "秀洲区" }).click();
  await expect(page.getByRole("heading", { name: "秀洲区" })).toBeVisible();
}

/** The temporary password the open dialog shows once. */
async function temporaryPassword(page: Page): Promise<string> {
  const field = page.getByRole("dialog").getByLabel("临时密码");
  await expect(field).toHaveValue(/\S{8,}/);
  return field.inputValue();
}

test("an admin creates a user, who must choose a password; the admin resets it; the audit log shows it", async ({ page }) => {
  test.setTimeout(180_000);
  const username = `acct-${Date.now()}`;
  await signIn(page, "jx-office");
  await openXiuzhou(page);

  await page.getByRole("button", { name: "新建用户" }).click();
  const create = page.getByRole("dialog", { name: /新建用户/ });
  await create.getByLabel("用户名").fill(username);
  await create.getByLabel("姓名").fill("账户测试员");
  await create.getByLabel("在本单位的角色").click();
  await chooseOption(page, "查阅", { exact: true });
  await create.getByLabel("在本单位的角色").press("Escape");
  await create.getByRole("button", { name: "新建" }).click();
  const temporary = await temporaryPassword(page);
  await expect(create.getByText("只显示这一次")).toBeVisible();
  await shoot(page, "72-user-created");
  await create.getByRole("button", { name: "我已记下" }).click();
  const row = page.getByRole("row", { name: new RegExp(username) });
  await expect(row.getByText("待改密码")).toBeVisible();
  await expect(row.getByText("查阅 · 秀洲区")).toBeVisible();
  await signOut(page);

  // The first sign-in: nothing but the new password until it is chosen.
  await signIn(page, username, temporary);
  await expect(page.getByRole("heading", { name: "请设置新密码" })).toBeVisible();
  await expect(page.getByRole("menuitem")).toHaveCount(0);
  await page.getByLabel("当前密码").fill(temporary);
  await page.getByLabel("新密码", { exact: true }).fill("password123");
  await page.getByLabel("再次输入新密码").fill("password123x");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByText("两次输入的新密码不一致")).toBeVisible();
  await page.getByLabel("再次输入新密码").fill("password123");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByText(/too easy to guess/)).toBeVisible();
  await shoot(page, "73-forced-password-change");
  await page.getByLabel("新密码", { exact: true }).fill(STRONG);
  await page.getByLabel("再次输入新密码").fill(STRONG);
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByRole("menuitem").first()).toBeVisible();
  await expect(page.getByText("账户测试员")).toBeVisible();

  // Their account page: this browser among the sessions.
  await page.getByRole("button", { name: "我的账户" }).click();
  await expect(page.getByRole("heading", { name: "我的账户" })).toBeVisible();
  const sessions = page.getByRole("table", { name: "登录的浏览器" });
  await expect(sessions.getByText("当前浏览器")).toBeVisible();
  await signOut(page);

  // The admin resets it: a new temporary password, to be changed again.
  await signIn(page, "jx-office");
  await openXiuzhou(page);
  await expect(row.getByText("待改密码")).toHaveCount(0);
  await row.getByRole("button", { name: "重置密码" }).click();
  const reset = page.getByRole("dialog", { name: /重置.*密码/ });
  await reset.getByRole("button", { name: "重置密码" }).click();
  const second = await temporaryPassword(page);
  expect(second).not.toEqual(temporary);
  await reset.getByRole("button", { name: "我已记下" }).click();
  await expect(row.getByText("待改密码")).toBeVisible();
  await shoot(page, "74-unit-users-admin");

  // Their API tokens (none), and disabling then enabling them.
  await row.getByRole("button", { name: "API 令牌" }).click();
  const tokens = page.getByRole("dialog", { name: /API 令牌/ });
  await expect(tokens.getByText("没有 API 令牌")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(tokens).toBeHidden();
  await row.getByRole("button", { name: "停用" }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(row.getByText("已停用")).toBeVisible();
  await row.getByRole("button", { name: "启用" }).click();
  await expect(row.getByText("已停用")).toHaveCount(0);

  // The audit log: the user made by jx-office, and their sign-in.
  await page.getByRole("menuitem", { name: "审计日志" }).click();
  await expect(page.getByRole("heading", { name: "审计日志" })).toBeVisible();
  const action = page.getByLabel("操作");
  await action.fill("createUser");
  await action.press("Enter");
  const created = page.getByRole("row").filter({ hasText: "createUser" }).first();
  await expect(created).toContainText("jx-office");
  await expect(created).toContainText("秀洲区");
  await created.getByRole("button", { name: /展开|expand/i }).click();
  await expect(page.locator("pre.audit-details").first()).toContainText(username);
  await shoot(page, "75-audit-log");
  await action.fill("signIn");
  await action.press("Enter");
  await expect(page.getByRole("row").filter({ hasText: username }).filter({ hasText: "signIn" }).first()).toBeVisible();
});

// RFC 6238 codes, as an authenticator app makes them, from the base32 secret.
function base32(secret: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

/** A code each time, of a step never used before (the server takes a code once, and the steps
 * either side of now). */
function codes(secret: string) {
  let last = -1;
  return async () => {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const step = Math.max(last + 1, now - 1);
      if (step <= now + 1) {
        last = step;
        return totp(secret, step);
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  };
}

async function gql<T>(api: APIRequestContext, csrf: string | null, query: string, variables: object): Promise<T> {
  const response = await api.post("/graphql", { data: { query, variables }, headers: csrf ? { "X-CSRF-Token": csrf } : {} });
  const json = (await response.json()) as { data: T; errors?: unknown };
  expect(json.errors).toBeUndefined();
  return json.data;
}

/** A fresh user of Xiuzhou with its own password, made through the API (jx-office creates it,
 * the user chooses a password). */
async function freshUser(api: APIRequestContext, username: string): Promise<void> {
  type SignedIn = { signIn: { viewer: { csrfToken: string } | null } };
  const signInQuery = "mutation($i: SignInInput!) { signIn(input: $i) { viewer { csrfToken } errors { message } } }";
  const admin = await gql<SignedIn>(api, null, signInQuery, { i: { username: "jx-office", password: "redline-demo" } });
  const adminCsrf = admin.signIn.viewer!.csrfToken;
  const unit = await gql<{ tenant: { id: string } }>(api, adminCsrf, 'query { tenant(code: "330411") { id } }', {});
  const made = await gql<{ createUser: { temporaryPassword: string } }>(
    api,
    adminCsrf,
    "mutation($i: CreateUserInput!) { createUser(input: $i) { temporaryPassword errors { message } } }",
    { i: { nodeId: unit.tenant.id, username, displayName: "令牌测试员", roles: ["VIEWER"] } },
  );
  const temporary = made.createUser.temporaryPassword;
  const user = await gql<SignedIn>(api, adminCsrf, signInQuery, { i: { username, password: temporary } });
  await gql(api, user.signIn.viewer!.csrfToken, "mutation($i: ChangePasswordInput!) { changePassword(input: $i) { errors { message } } }", {
    i: { currentPassword: temporary, newPassword: STRONG },
  });
}

test("a user's account: browsers, an API token shown once, and the second factor", async ({ page, playwright, baseURL }) => {
  test.setTimeout(180_000);
  const username = `acct2-${Date.now()}`;
  const api = await playwright.request.newContext({ baseURL });
  await freshUser(api, username);
  await api.dispose();

  await signIn(page, username, STRONG);
  await page.getByRole("button", { name: "我的账户" }).click();
  await expect(page.getByRole("table", { name: "登录的浏览器" }).getByText("当前浏览器")).toBeVisible();

  // An API token: its secret once, with a warning, then only its prefix in the list.
  await page.getByRole("button", { name: "新建令牌" }).click();
  const dialog = page.getByRole("dialog", { name: "新建 API 令牌" });
  await dialog.getByLabel("名称").fill("月报导出脚本");
  await dialog.getByRole("button", { name: "保存" }).click();
  const secret = dialog.getByLabel("令牌");
  await expect(secret).toHaveValue(/\S{20,}/);
  await expect(dialog.getByText("只显示这一次")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "复制" })).toBeVisible();
  await dialog.getByRole("button", { name: "我已保存" }).click();
  const token = page.getByRole("row", { name: /月报导出脚本/ });
  await expect(token.getByText("有效")).toBeVisible();

  // The second factor: a QR code and the secret, confirmed with a code.
  await page.getByRole("button", { name: "启用双重验证" }).click();
  await expect(page.getByRole("img", { name: "双重验证二维码" })).toBeVisible();
  const base = await page.getByLabel("密钥").inputValue();
  await page.getByRole("img", { name: "双重验证二维码" }).scrollIntoViewIfNeeded();
  await shoot(page, "78-second-factor-setup");
  const next = codes(base);
  await page.getByLabel("验证码").fill(await next());
  await page.getByRole("button", { name: "确认启用" }).click();
  await expect(page.getByText("已启用", { exact: true })).toBeVisible();
  await shoot(page, "76-account");

  await token.getByRole("button", { name: /撤销/ }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(token.getByText("已撤销")).toBeVisible();
  await signOut(page);

  // Signing in now asks for a code: a wrong one is refused, the right one lets in.
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(STRONG);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByLabel("验证码")).toBeVisible();
  await shoot(page, "77-sign-in-code");
  await page.getByLabel("验证码").fill("000000");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText(/not the app.s current code/)).toBeVisible();
  await page.getByLabel("验证码").fill(await next());
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();

  // Turned off with the password and a code.
  await page.getByRole("button", { name: "我的账户" }).click();
  await page.getByLabel("密码", { exact: true }).fill(STRONG);
  await page.getByLabel("验证码").fill(await next());
  await page.getByRole("button", { name: "停用双重验证" }).click();
  await expect(page.getByRole("button", { name: "启用双重验证" })).toBeVisible();

  // Signing out everywhere ends this browser's session too.
  await page.getByRole("button", { name: "退出所有浏览器" }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in$/);
});
