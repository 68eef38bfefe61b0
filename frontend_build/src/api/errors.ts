// Payload errors ({ field, message, code }) beside the fields they name, and the rest as one
// message; the same words for an ApiError (not signed in, a conflict, the network).
import type { FormInstance } from "antd";
import { ApiError } from "./client";

export type UserError = { field?: string | null; message: string; code: string };

/** The antd form path of an API field: `content.items[1].maxPoints` -> ["content","items",1,"maxPoints"]. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== "")
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Put each error beside its field (when the form has one); return those left over. */
export function showFieldErrors(
  form: FormInstance | null,
  errors: readonly UserError[],
  strip: string[] = ["input"],
): UserError[] {
  const rest: UserError[] = [];
  const byField = new Map<string, string[]>();
  for (const error of errors) {
    if (!error.field) {
      rest.push(error);
      continue;
    }
    let name = error.field;
    for (const prefix of strip) {
      if (name.startsWith(`${prefix}.`)) name = name.slice(prefix.length + 1);
    }
    const path = fieldPath(name);
    const known = form?.getFieldInstance?.(path) !== undefined || form?.isFieldTouched?.(path);
    if (form && known) {
      const key = JSON.stringify(path);
      byField.set(key, [...(byField.get(key) ?? []), error.message]);
    } else {
      rest.push(error);
    }
  }
  if (form) {
    form.setFields(
      [...byField.entries()].map(([key, messages]) => ({ name: JSON.parse(key), errors: messages })),
    );
  }
  return rest;
}

/** One sentence for a failure, with the request id to quote when there is one. */
export function describeFailure(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiError) {
    if (error.code === "NETWORK") return t("errors.network");
    if (error.code === "UNAUTHENTICATED") return t("errors.unauthenticated");
    const id = error.requestId ? ` (${t("errors.requestId")} ${error.requestId})` : "";
    return `${error.message}${id}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Whether a payload error is a version conflict (someone else saved first). */
export function isConflict(errors: readonly UserError[]): boolean {
  return errors.some((e) => e.code === "CONFLICT");
}
