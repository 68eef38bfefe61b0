// Unit tests of the formatting shared by the screens.
import { describe, expect, it } from "vitest";
import { formatSize } from "./format";

describe("formatSize", () => {
  it("says bytes, kilobytes or megabytes", () => {
    expect(formatSize(820)).toBe("820 B");
    expect(formatSize(36045)).toBe("35.2 KB");
    expect(formatSize(1468006)).toBe("1.4 MB");
    expect(formatSize(null)).toBe("—");
  });
});
