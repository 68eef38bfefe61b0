// The kinds of unit by level, as the server checks them: the region kinds each level has, and the
// departments and affiliated units that attach to a region at its own level.
import type { TenantKind, TenantLevel } from "./gql/graphql";

export const REGION_KINDS: Record<TenantLevel, TenantKind[]> = {
  PROVINCE: ["PROVINCE"],
  CITY: ["CITY"],
  COUNTY: ["DISTRICT", "COUNTY", "COUNTY_CITY", "DEVELOPMENT_ZONE"],
  TOWNSHIP: ["TOWN", "TOWNSHIP", "STREET", "MANAGEMENT_REGION", "DEVELOPMENT_ZONE"],
};

export const ATTACHED_KINDS: TenantKind[] = ["DEPARTMENT", "AFFILIATED_UNIT"];

export function isRegion(kind: TenantKind): boolean {
  return !ATTACHED_KINDS.includes(kind);
}

/** The kinds a unit at ``level`` may have (or be changed to). */
export function kindsAt(level: TenantLevel): TenantKind[] {
  return [...REGION_KINDS[level], ...ATTACHED_KINDS];
}
