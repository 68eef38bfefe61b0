// The units area's rules: kinds and levels under a parent, and the create and update inputs.
import { describe, expect, it } from "vitest";
import {
  administers,
  childKinds,
  childLevel,
  createTenantInput,
  createUserInput,
  userActions,
  userTags,
  needsEnglishName,
  updateTenantInput,
} from "./logic";
import { kindsAt } from "../../kinds";

describe("childKinds and childLevel", () => {
  it("offers a county's township kinds and its own departments", () => {
    const county = { level: "COUNTY" as const, kind: "DISTRICT" as const };
    expect(childKinds(county)).toEqual([
      "TOWN",
      "TOWNSHIP",
      "STREET",
      "MANAGEMENT_REGION",
      "DEVELOPMENT_ZONE",
      "DEPARTMENT",
      "AFFILIATED_UNIT",
      "ENTERPRISE",
    ]);
    expect(childLevel(county, "TOWN")).toBe("TOWNSHIP");
    expect(childLevel(county, "DEPARTMENT")).toBe("COUNTY");
  });

  it("offers only attached units under a department or a township", () => {
    const attached = ["DEPARTMENT", "AFFILIATED_UNIT", "ENTERPRISE"];
    expect(childKinds({ level: "PROVINCE", kind: "DEPARTMENT" })).toEqual(attached);
    expect(childKinds({ level: "TOWNSHIP", kind: "TOWN" })).toEqual(attached);
    expect(childLevel({ level: "PROVINCE", kind: "DEPARTMENT" }, "AFFILIATED_UNIT")).toBe("PROVINCE");
  });

  it("lists the kinds a unit of a level may take", () => {
    expect(kindsAt("CITY")).toEqual(["CITY", "DEPARTMENT", "AFFILIATED_UNIT", "ENTERPRISE"]);
  });

  it("asks a region for its English name, not a department or an affiliated unit", () => {
    expect([needsEnglishName("COUNTY"), needsEnglishName(undefined)]).toEqual([true, true]);
    expect([needsEnglishName("AFFILIATED_UNIT"), needsEnglishName("DEPARTMENT"), needsEnglishName("ENTERPRISE")]).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe("createTenantInput", () => {
  it("trims the fields and derives the level", () => {
    expect(
      createTenantInput(
        { id: "P", level: "COUNTY", kind: "DISTRICT" },
        { code: " 330411951 ", nameZh: " 测试新镇 ", nameEn: "Test Town ", kind: "TOWN" },
      ),
    ).toEqual({
      parentId: "P",
      code: "330411951",
      nameZh: "测试新镇",
      nameEn: "Test Town",
      kind: "TOWN",
      level: "TOWNSHIP",
    });
  });
});

describe("updateTenantInput", () => {
  const current = {
    id: "U",
    code: "330402012",
    nameZh: "城南街道",
    nameEn: "Chengnan Subdistrict",
    kind: "STREET" as const,
    parentId: "N",
  };

  it("sends only what changed", () => {
    expect(updateTenantInput(current, { ...current, nameEn: " Chengnan Street " })).toEqual({
      id: "U",
      nameEn: "Chengnan Street",
    });
    expect(updateTenantInput(current, { ...current, parentId: "X", kind: "TOWN" })).toEqual({
      id: "U",
      kind: "TOWN",
      parentId: "X",
    });
  });

  it("is null when nothing changed", () => {
    expect(updateTenantInput(current, { ...current, nameZh: "城南街道 " })).toBeNull();
    expect(updateTenantInput(current, { ...current, parentId: null })).toBeNull();
  });
});

describe("administers", () => {
  const xiuzhou = { id: "XZ", ancestors: [{ id: "ZJ" }, { id: "JX" }] };
  it("holds for an admin grant on the unit or above it", () => {
    expect(administers([{ role: "ADMIN", node: { id: "JX" } }], xiuzhou)).toBe(true);
    expect(administers([{ role: "ADMIN", node: { id: "XZ" } }], xiuzhou)).toBe(true);
  });
  it("does not hold for other roles, or an admin of a unit elsewhere", () => {
    expect(administers([{ role: "ASSESSOR", node: { id: "JX" } }], xiuzhou)).toBe(false);
    expect(administers([{ role: "ADMIN", node: { id: "HZ" } }], xiuzhou)).toBe(false);
    expect(administers(undefined, xiuzhou)).toBe(false);
  });
});

describe("userActions", () => {
  const active = { id: "u2", isActive: true, secondFactor: false, mustChangePassword: false };
  it("offers nothing to a non-admin", () => {
    expect(userActions(active, { admin: false, viewerId: "u1" })).toEqual([]);
  });
  it("offers an admin everything on an active user", () => {
    expect(userActions(active, { admin: true, viewerId: "u1" })).toEqual(["grant", "resetPassword", "tokens", "disable"]);
  });
  it("offers enabling (and the tokens) on a disabled user", () => {
    expect(userActions({ ...active, isActive: false }, { admin: true, viewerId: "u1" })).toEqual(["enable", "tokens"]);
  });
  it("keeps admins from disabling or resetting themselves", () => {
    expect(userActions(active, { admin: true, viewerId: "u2" })).toEqual(["grant"]);
  });
});

describe("userTags", () => {
  it("tags disabled, second factor and a password to change", () => {
    expect(userTags({ id: "u", isActive: true, secondFactor: false, mustChangePassword: false })).toEqual([]);
    expect(userTags({ id: "u", isActive: false, secondFactor: true, mustChangePassword: true }).map((t) => t.key)).toEqual([
      "disabled",
      "secondFactor",
      "mustChangePassword",
    ]);
  });
});

describe("createUserInput", () => {
  it("trims the names and keeps each role once", () => {
    expect(createUserInput("n1", { username: " new.clerk ", displayName: " 张三 ", roles: ["SUBMITTER", "SUBMITTER"] })).toEqual({
      nodeId: "n1",
      username: "new.clerk",
      displayName: "张三",
      roles: ["SUBMITTER"],
    });
    expect(createUserInput("n1", { username: "a", displayName: "b" }).roles).toEqual([]);
  });
});
