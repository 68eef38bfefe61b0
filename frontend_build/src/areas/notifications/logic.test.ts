import { describe, expect, it } from "vitest";
import { unreadIds } from "./logic";

describe("unreadIds", () => {
  it("keeps only the unread notifications' ids, in order", () => {
    expect(unreadIds([{ id: "a", read: true }, { id: "b", read: false }, { id: "c", read: false }])).toEqual(["b", "c"]);
  });
  it("is empty when everything is read", () => {
    expect(unreadIds([{ id: "a", read: true }])).toEqual([]);
  });
});
