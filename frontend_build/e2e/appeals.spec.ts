// Appeals (申诉): Nanhu's assessor accepts 南湖街道's waiting appeal on 6.1 (points and a reason)
// and its scores follow; then Jiaxing's office opens the township cycle's appeal window, 七星街道's
// clerk appeals a reviewed indicator with a reason and sees it waiting, Nanhu rejects it, and
// Jiaxing puts the window back to 2026-11-20 17:00 (later specs finalise in this cycle).
//
// 南湖街道's clerk (330402010-clerk) is a story-only account with no known password, and no
// other reviewed unit of the demo has a clerk who can sign in: 七星街道 (qixing-clerk's, a draft)
// is submitted and reviewed through the API first, as its clerk and Nanhu's assessor.
import { expect, type Page, test } from "@playwright/test";
import { shoot, signIn, signOut } from "./support";

const TOWNSHIP_2026 = "2026年度嘉兴市乡镇（街道）安全生产工作考核";

test.describe.configure({ timeout: 240_000 });

/** One GraphQL operation as the signed-in user (the app's session cookie and CSRF token). */
async function gql<T = Record<string, unknown>>(page: Page, query: string, variables: object = {}): Promise<T> {
  const answer = await page.evaluate(
    async ({ query, variables }) => {
      const response = await fetch("/graphql", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": sessionStorage.getItem("redline.csrf") ?? "" },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    { query, variables },
  );
  expect(answer.errors ?? []).toEqual([]);
  return answer.data as T;
}

type Entry = {
  indicator: { code: string; method: string; source: string; required: boolean; maxPoints: string };
  value: string | null;
  done: boolean | null;
  points: string | null;
  notApplicable: boolean;
};
type Found = { id: string; version: number; state: string; unit: { nameZh: string }; cycle: { name: string }; entries: Entry[] };

async function township(page: Page, unit: string): Promise<Found> {
  const data = await gql<{ assessments: { edges: { node: Found }[] } }>(
    page,
    `query { assessments(first: 100) { edges { node { id version state unit { nameZh } cycle { name }
       entries { indicator { code method source required maxPoints } value done points notApplicable } } } } }`,
  );
  const found = data.assessments.edges.map((e) => e.node).find((a) => a.unit.nameZh === unit && a.cycle.name === TOWNSHIP_2026);
  expect(found, `${unit}'s township assessment`).toBeTruthy();
  return found!;
}

/** 七星街道's clerk fills in what is still empty and submits; Nanhu confirms every indicator and completes the review. */
async function reviewQixing(page: Page) {
  await signIn(page, "qixing-clerk");
  let qixing = await township(page, "七星街道");
  if (qixing.state === "DRAFT") {
    const empty = qixing.entries.filter(
      (e) =>
        e.indicator.source === "self" &&
        !e.notApplicable &&
        e.value === null &&
        e.done === null &&
        e.points === null &&
        e.indicator.method !== "DEDUCTION",
    );
    const entries = empty.map((e) => {
      const input: Record<string, unknown> = { itemCode: e.indicator.code, notApplicable: false, note: "见附件" };
      if (e.indicator.method === "MANUAL" || e.indicator.method === "BONUS") input.points = e.indicator.method === "BONUS" ? "0" : e.indicator.maxPoints;
      else if (e.indicator.method === "RATIO" || e.indicator.method === "TIERS") input.value = "100";
      else if (e.indicator.method === "BOOLEAN") input.done = true;
      return input;
    });
    if (entries.length) {
      const saved = await gql<{ saveEntries: { errors: unknown[]; assessment: { version: number } } }>(
        page,
        `mutation($input: SaveEntriesInput!) { saveEntries(input: $input) { errors { field message } assessment { version } } }`,
        { input: { assessmentId: qixing.id, expectedVersion: qixing.version, entries } },
      );
      expect(saved.saveEntries.errors).toEqual([]);
      qixing = { ...qixing, version: saved.saveEntries.assessment.version };
    }
    const submitted = await gql<{ submitAssessment: { errors: unknown[] } }>(
      page,
      `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { errors { field message } } }`,
      { input: { assessmentId: qixing.id, expectedVersion: qixing.version } },
    );
    expect(submitted.submitAssessment.errors).toEqual([]);
  }
  await signOut(page);

  await signIn(page, "nanhu-office");
  qixing = await township(page, "七星街道");
  if (qixing.state === "SUBMITTED" || qixing.state === "RESUBMITTED") {
    const reviewed = await gql<{ reviewEntries: { errors: unknown[]; assessment: { version: number } } }>(
      page,
      `mutation($input: ReviewEntriesInput!) { reviewEntries(input: $input) { errors { field message } assessment { version } } }`,
      {
        input: {
          assessmentId: qixing.id,
          expectedVersion: qixing.version,
          reviews: qixing.entries.map((e) =>
            e.indicator.code === "6.1"
              ? { itemCode: "6.1", confirm: false, points: "2", reason: "“安全生产月”活动总结报告未见，酌情扣分" }
              : { itemCode: e.indicator.code },
          ),
        },
      },
    );
    expect(reviewed.reviewEntries.errors).toEqual([]);
    const completed = await gql<{ completeReview: { errors: unknown[] } }>(
      page,
      `mutation($input: CompleteReviewInput!) { completeReview(input: $input) { errors { field message } } }`,
      { input: { assessmentId: qixing.id, expectedVersion: reviewed.reviewEntries.assessment.version } },
    );
    expect(completed.completeReview.errors).toEqual([]);
  }
  await signOut(page);
}

/** On the township cycle's page, set its appeal deadline (China time) through the dialog. */
async function setAppealWindow(page: Page, moment: string, screen?: string) {
  await page.goto("/cycles");
  await page.getByRole("row", { name: new RegExp(TOWNSHIP_2026) }).getByRole("link", { name: TOWNSHIP_2026 }).click();
  await expect(page.getByRole("heading", { name: TOWNSHIP_2026 })).toBeVisible();
  await page.getByRole("button", { name: "设置申诉期" }).click();
  const dialog = page.getByRole("dialog", { name: "设置申诉期" });
  const field = dialog.getByLabel("申诉截止（北京时间）");
  await field.click();
  await field.fill(moment);
  // Enter takes the moment typed and submits the dialog's form. (The screenshot comes after:
  // taken between typing and Enter, it waited for the network to idle with the dialog open,
  // and once the dialog was gone by then.)
  await field.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByText("申诉截止时间已保存")).toBeVisible();
  if (screen) await shoot(page, screen);
}

test("nanhu-office accepts 南湖街道's waiting appeal on 6.1 and the scores follow", async ({ page }) => {
  await signIn(page, "nanhu-office");
  await page.goto("/reviews?state=REVIEWED");
  await page.getByRole("row", { name: /南湖街道/ }).getByRole("link", { name: "查看" }).click();
  await expect(page.getByRole("heading", { name: "南湖街道" })).toBeVisible();

  const card = page.getByRole("region", { name: "申诉" });
  await expect(card.getByText("1 项待处理")).toBeVisible();
  await expect(card.getByText("申诉期已结束")).toBeVisible();
  const appeal = card.getByRole("listitem", { name: "6.1 的申诉" });
  await expect(appeal.getByText("待处理")).toBeVisible();
  await expect(appeal.getByText("“安全生产月”活动的影像资料和总结报告已于11月13日补充上传，请予认定")).toBeVisible();
  const row = page.getByRole("row", { name: /^6\.1/ });
  await expect(row).toContainText("0.00");
  const total = page.locator(".ant-statistic").filter({ hasText: "评审总分" }).locator(".ant-statistic-content");
  const totalBefore = await total.innerText();
  await shoot(page, "70-appeal-review");

  // Accepting without a reason is refused beside the field; then saved with one.
  await appeal.getByRole("button", { name: "采纳", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: /采纳申诉：6\.1/ });
  await expect(dialog.getByLabel(/采纳后得分/)).toHaveValue("0.00");
  await dialog.getByLabel(/采纳后得分/).fill("4");
  await dialog.getByRole("button", { name: "采纳" }).click();
  await expect(dialog.getByText("say why you accept the appeal")).toBeVisible();
  await dialog.getByLabel("处理理由").fill("补充的影像资料和总结报告齐全，予以认定");
  await shoot(page, "72-appeal-decide");
  await dialog.getByRole("button", { name: "采纳" }).click();
  await expect(dialog).toBeHidden();

  await expect(appeal.getByText("已采纳")).toBeVisible();
  await expect(appeal.getByText(/补充的影像资料和总结报告齐全，予以认定/)).toBeVisible();
  await expect(appeal.getByText("得分：0.00 → 4.00（满分 4.00）")).toBeVisible();
  await expect(card.getByText("1 项待处理")).toHaveCount(0);
  await expect(row).toContainText("4.00");
  await expect(total).not.toHaveText(totalBefore);
  await shoot(page, "73-appeal-accepted");
});

// Whatever happens below, the township cycle's window ends up back in the past and no appeal of
// 七星街道 is left waiting: reviews.spec.ts finalises in this cycle later in the run.
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, "nanhu-office");
  const qixing = await township(page, "七星街道");
  const waiting = await gql<{ node: { appeals: { id: string; state: string }[] } }>(
    page,
    `query($id: ID!) { node(id: $id) { ... on Assessment { appeals { id state } } } }`,
    { id: qixing.id },
  );
  for (const appeal of waiting.node.appeals.filter((a) => a.state === "OPEN")) {
    await gql(page, `mutation($input: DecideAppealInput!) { decideAppeal(input: $input) { errors { message } } }`, {
      input: { appealId: appeal.id, accept: false, reason: "e2e cleanup" },
    });
  }
  await signOut(page);
  await signIn(page, "jx-office");
  const cycles = await gql<{ cycles: { edges: { node: { id: string; name: string } }[] } }>(
    page,
    `query { cycles(first: 100) { edges { node { id name } } } }`,
  );
  const cycle = cycles.cycles.edges.find((e) => e.node.name === TOWNSHIP_2026)!.node;
  const reset = await gql<{ setAppealWindow: { errors: unknown[] } }>(
    page,
    `mutation($input: SetAppealWindowInput!) { setAppealWindow(input: $input) { errors { message } } }`,
    { input: { cycleId: cycle.id, appealDue: "2026-11-20T17:00:00+08:00" } },
  );
  expect(reset.setAppealWindow.errors).toEqual([]);
  await page.close();
});

test("a clerk appeals within the window set on the cycle page; Nanhu rejects it; the window goes back", async ({ page }) => {
  await reviewQixing(page);

  // Jiaxing opens the window until a moment to come.
  await signIn(page, "jx-office");
  await setAppealWindow(page, "2027-01-15 17:00", "74-appeal-window");
  await expect(page.getByText("（申诉期内）")).toBeVisible();
  await shoot(page, "75-cycle-appeal-open");
  await signOut(page);

  // 七星街道's clerk appeals 6.1 with a reason: refused without one, then waiting.
  await signIn(page, "qixing-clerk");
  await page.goto("/assessments");
  await page.getByRole("row", { name: /七星街道/ }).getByRole("link", { name: "七星街道" }).click();
  await expect(page.getByRole("heading", { name: "七星街道 · 自评" })).toBeVisible();
  const panel = page.getByRole("region", { name: "申诉" });
  await expect(panel.getByText(/申诉截止：/)).toBeVisible();
  await expect(panel.getByText("暂无申诉")).toBeVisible();
  const indicator = page.getByRole("region", { name: /^6\.1 / });
  await expect(indicator.getByText("评审 2.00")).toBeVisible();
  await indicator.getByRole("button", { name: "对 6.1 申诉" }).click();
  const dialog = page.getByRole("dialog", { name: /申诉：6\.1/ });
  await dialog.getByRole("button", { name: "提交申诉" }).click();
  await expect(dialog.getByText("请填写申诉理由")).toBeVisible();
  await dialog.getByLabel("申诉理由").fill("“安全生产月”活动总结报告已随自评上传（见附件），请复核");
  await shoot(page, "71-appeal-file");
  await dialog.getByRole("button", { name: "提交申诉" }).click();
  await expect(dialog.getByText("申诉已提交，等待评审单位处理。", { exact: false })).toBeVisible();
  await dialog.locator("input[type=file]").setInputFiles({
    name: "安全生产月总结报告.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
  });
  await expect(dialog.getByText("安全生产月总结报告.pdf")).toBeVisible();
  await dialog.getByRole("button", { name: "完成" }).click();
  await expect(dialog).toBeHidden();
  const filed = panel.getByRole("listitem", { name: "6.1 的申诉" });
  await expect(filed.getByText("待处理")).toBeVisible();
  await expect(filed.getByRole("link", { name: "安全生产月总结报告.pdf" })).toBeVisible();
  await expect(indicator.getByText("申诉待处理")).toBeVisible();
  await expect(indicator.getByRole("button", { name: "对 6.1 申诉" })).toHaveCount(0);
  await shoot(page, "76-appeal-waiting");
  await signOut(page);

  // Jiaxing cannot finalise while it waits: the refusal shows.
  await signIn(page, "jx-office");
  await page.goto("/reviews?state=REVIEWED");
  await page.getByRole("row", { name: /七星街道/ }).getByRole("button", { name: "定稿" }).click();
  await expect(page.getByRole("heading", { name: "七星街道" })).toBeVisible();
  await page.getByRole("button", { name: "定稿发布" }).click();
  await page.getByRole("button", { name: "确定" }).click();
  await expect(page.getByText(/appeal of the unit waits for a decision|may appeal until/).first()).toBeVisible();
  await shoot(page, "77-finalise-refused");
  await signOut(page);

  // Nanhu rejects it, saying why (no points).
  await signIn(page, "nanhu-office");
  await page.goto("/reviews?state=REVIEWED");
  await page.getByRole("row", { name: /七星街道/ }).getByRole("link", { name: "查看" }).click();
  const card = page.getByRole("region", { name: "申诉" });
  const waiting = card.getByRole("listitem", { name: "6.1 的申诉" });
  await waiting.getByRole("button", { name: "不予采纳" }).click();
  const reject = page.getByRole("dialog", { name: /不予采纳申诉：6\.1/ });
  await reject.getByLabel("处理理由").fill("附件为活动方案，仍缺总结报告");
  await reject.getByRole("button", { name: "不予采纳" }).click();
  await expect(reject).toBeHidden();
  await expect(waiting.getByText("未采纳")).toBeVisible();
  await expect(page.getByRole("row", { name: /^6\.1/ })).toContainText("2.00");
  await signOut(page);

  // Jiaxing puts the window back where the demo had it (past): later specs finalise in this cycle.
  await signIn(page, "jx-office");
  await setAppealWindow(page, "2026-11-20 17:00");
  await expect(page.getByText("（申诉期已结束）")).toBeVisible();
});
