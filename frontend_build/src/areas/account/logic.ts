// The account area's pure rules: the new-password form's own checks (the server judges strength),
// a six-digit code, an API token's state and the browsers' names.

/** Why the new password form cannot be sent yet, by field (an i18n key under account.password);
 * empty when it can. The server still judges the length and how easy it is to guess. */
export function newPasswordProblems(values: {
  currentPassword?: string;
  newPassword?: string;
  repeat?: string;
}): { field: "newPassword" | "repeat"; key: string }[] {
  const problems: { field: "newPassword" | "repeat"; key: string }[] = [];
  const next = values.newPassword ?? "";
  if (next && values.currentPassword && next === values.currentPassword) {
    problems.push({ field: "newPassword", key: "sameAsCurrent" });
  }
  if ((values.repeat ?? "") !== next) problems.push({ field: "repeat", key: "mismatch" });
  return problems;
}

/** Whether a code is what an authenticator app shows: six digits (spaces ignored). */
export function isOtp(code: string | null | undefined): boolean {
  return /^\d{6}$/.test(normaliseOtp(code));
}

/** The code as the server wants it: digits only, without the spaces people type. */
export function normaliseOtp(code: string | null | undefined): string {
  return (code ?? "").replace(/\s+/g, "");
}

export type TokenState = "active" | "expiresSoon" | "expired" | "revoked";

type Token = { expiresAt?: string | null; revokedAt?: string | null };

const WEEK = 7 * 24 * 3600 * 1000;

/** A token's state at ``now``: revoked, expired, expiring within a week, or active. */
export function tokenState(token: Token, now: Date = new Date()): TokenState {
  if (token.revokedAt) return "revoked";
  if (!token.expiresAt) return "active";
  const left = new Date(token.expiresAt).getTime() - now.getTime();
  if (left <= 0) return "expired";
  return left <= WEEK ? "expiresSoon" : "active";
}

/** Whether a token can still be revoked (not revoked, not expired). */
export function revocable(token: Token, now: Date = new Date()): boolean {
  const state = tokenState(token, now);
  return state === "active" || state === "expiresSoon";
}

/** The lifetimes offered for a new token, in days (null: the deployment's maximum). */
export const TOKEN_DAYS: (number | null)[] = [7, 30, 90, 180, 365];

/** A browser's short name from its user agent: "Chrome · Linux", or the raw text when unknown. */
export function describeBrowser(userAgent: string): string {
  const ua = userAgent || "";
  const browser =
    /Edg\//.test(ua) ? "Edge"
    : /Firefox\//.test(ua) ? "Firefox"
    : /(Chrome|Chromium)\//.test(ua) ? (/HeadlessChrome/.test(ua) ? "Chrome (headless)" : "Chrome")
    : /Safari\//.test(ua) ? "Safari"
    : null;
  const system =
    /Windows/.test(ua) ? "Windows"
    : /Android/.test(ua) ? "Android"
    : /(iPhone|iPad)/.test(ua) ? "iOS"
    : /Mac OS X/.test(ua) ? "macOS"
    : /Linux/.test(ua) ? "Linux"
    : null;
  if (!browser && !system) return ua || "—";
  return [browser, system].filter(Boolean).join(" · ");
}
