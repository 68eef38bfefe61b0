// The levels from the top, and the kinds of unit by level, as the server checks them: the region
// kinds each level has, and the departments, affiliated units and enterprises that attach to a
// region at its own level.
import type { TenantKind, TenantLevel } from "./gql/graphql";

export const LEVELS: TenantLevel[] = ["PROVINCE", "CITY", "COUNTY", "TOWNSHIP"];

/** 0 for a province, 3 for a township. */
export function depthOf(level: TenantLevel): number {
  return LEVELS.indexOf(level);
}

export const REGION_KINDS: Record<TenantLevel, TenantKind[]> = {
  PROVINCE: ["PROVINCE"],
  CITY: ["CITY"],
  COUNTY: ["DISTRICT", "COUNTY", "COUNTY_CITY", "DEVELOPMENT_ZONE"],
  TOWNSHIP: ["TOWN", "TOWNSHIP", "STREET", "MANAGEMENT_REGION", "DEVELOPMENT_ZONE"],
};

export const ATTACHED_KINDS: TenantKind[] = ["DEPARTMENT", "AFFILIATED_UNIT", "ENTERPRISE"];

export function isRegion(kind: TenantKind): boolean {
  return !ATTACHED_KINDS.includes(kind);
}

/** The kinds a unit at ``level`` may have (or be changed to). */
export function kindsAt(level: TenantLevel): TenantKind[] {
  return [...REGION_KINDS[level], ...ATTACHED_KINDS];
}
