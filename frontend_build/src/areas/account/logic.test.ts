import { describe, expect, it } from "vitest";
import { describeBrowser, isOtp, newPasswordProblems, normaliseOtp, revocable, tokenState } from "./logic";

describe("newPasswordProblems", () => {
  it("accepts a new password repeated exactly", () => {
    expect(newPasswordProblems({ currentPassword: "a", newPassword: "Fjord-Lantern-93", repeat: "Fjord-Lantern-93" })).toEqual([]);
  });

  it("flags a repeat that differs", () => {
    expect(newPasswordProblems({ currentPassword: "a", newPassword: "Fjord-Lantern-93", repeat: "Fjord-Lantern-94" })).toEqual([
      { field: "repeat", key: "mismatch" },
    ]);
  });

  it("flags the current password chosen again", () => {
    expect(newPasswordProblems({ currentPassword: "same-one", newPassword: "same-one", repeat: "same-one" })).toEqual([
      { field: "newPassword", key: "sameAsCurrent" },
    ]);
  });

  it("leaves strength to the server", () => {
    expect(newPasswordProblems({ currentPassword: "x", newPassword: "password123", repeat: "password123" })).toEqual([]);
  });
});

describe("isOtp", () => {
  it("wants six digits, spaces ignored", () => {
    expect(isOtp("123456")).toBe(true);
    expect(isOtp("123 456")).toBe(true);
    expect(normaliseOtp(" 123 456 ")).toBe("123456");
    expect(isOtp("12345")).toBe(false);
    expect(isOtp("12345a")).toBe(false);
    expect(isOtp(null)).toBe(false);
  });
});

describe("tokenState", () => {
  const now = new Date("2026-12-01T00:00:00Z");
  it("is revoked once revoked, whatever its expiry", () => {
    expect(tokenState({ revokedAt: "2026-11-01T00:00:00Z", expiresAt: "2027-01-01T00:00:00Z" }, now)).toBe("revoked");
    expect(revocable({ revokedAt: "2026-11-01T00:00:00Z" }, now)).toBe(false);
  });
  it("is expired past its expiry", () => {
    expect(tokenState({ expiresAt: "2026-11-30T23:59:59Z" }, now)).toBe("expired");
    expect(revocable({ expiresAt: "2026-11-30T23:59:59Z" }, now)).toBe(false);
  });
  it("expires soon within a week", () => {
    expect(tokenState({ expiresAt: "2026-12-07T00:00:00Z" }, now)).toBe("expiresSoon");
    expect(tokenState({ expiresAt: "2026-12-08T00:00:01Z" }, now)).toBe("active");
  });
  it("is active without an expiry", () => {
    expect(tokenState({ expiresAt: null, revokedAt: null }, now)).toBe("active");
    expect(revocable({}, now)).toBe(true);
  });
});

describe("describeBrowser", () => {
  it("names common browsers and systems", () => {
    expect(
      describeBrowser("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36"),
    ).toBe("Chrome (headless) · Linux");
    expect(
      describeBrowser("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0"),
    ).toBe("Edge · Windows");
    expect(describeBrowser("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0; rv:120.0) Gecko/20100101 Firefox/120.0")).toBe(
      "Firefox · macOS",
    );
  });
  it("keeps what it does not know", () => {
    expect(describeBrowser("Python-urllib/3.11")).toBe("Python-urllib/3.11");
    expect(describeBrowser("")).toBe("—");
  });
});
