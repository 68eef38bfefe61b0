// The ledgers' forms' mutation outcome: errors beside their fields, the rest and any failure for PayloadErrors.
import type { FormInstance } from "antd";
import { useState } from "react";
import { showFieldErrors, type UserError } from "../../api/errors";

export function useSubmit(form: FormInstance | null) {
  const [problems, setProblems] = useState<UserError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);

  /** Clear the last outcome and run the mutation; its payload when it saved, else null. */
  async function run<P extends { errors: readonly UserError[] }>(mutate: () => Promise<P>): Promise<P | null> {
    setProblems([]);
    setFailure(null);
    try {
      const payload = await mutate();
      if (payload.errors.length === 0) return payload;
      setProblems(showFieldErrors(form, payload.errors));
    } catch (error) {
      setFailure(error);
    }
    return null;
  }

  /** Forget the last outcome (a form opened afresh). */
  function clear() {
    setProblems([]);
    setFailure(null);
  }

  return { problems, failure, run, clear };
}
