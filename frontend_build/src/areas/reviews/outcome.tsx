// What a reviewer's mutation answered: field errors beside their fields, a version conflict as
// the shared conflict alert with a reload button, the rest (or a failure) as the shared alert.
import type { FormInstance } from "antd";
import { Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { describeFailure, showFieldErrors, type UserError } from "../../api/errors";
import { PayloadErrors } from "../../components/PayloadErrors";

export type Outcome = { conflicts: UserError[]; rest: UserError[]; failure?: string };

/** Run a mutation's payload promise; null unless it saved. */
export function useOutcome() {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function run<P extends { errors: readonly UserError[] }>(
    promise: Promise<P>,
    form?: FormInstance | null,
    strip: string[] = ["input"],
  ): Promise<P | null> {
    setOutcome(null);
    try {
      const payload = await promise;
      if (payload.errors.length === 0) return payload;
      const conflicts = payload.errors.filter((e) => e.code === "CONFLICT");
      const others = payload.errors.filter((e) => e.code !== "CONFLICT");
      const rest = showFieldErrors(form ?? null, others, strip);
      setOutcome({ conflicts, rest });
      return null;
    } catch (error) {
      setOutcome({ conflicts: [], rest: [], failure: describeFailure(error, t) });
      return null;
    }
  }

  return { outcome, run, clear: () => setOutcome(null) };
}

/** The conflict (with reload), a failure, and payload errors no field shows: the shared alerts. */
export function OutcomeAlert({
  outcome,
  onReload,
}: {
  outcome: Outcome | null;
  onReload: () => void;
}) {
  if (!outcome) return null;
  const { conflicts, rest, failure } = outcome;
  if (conflicts.length === 0 && rest.length === 0 && !failure) return null;
  return (
    <Space direction="vertical" style={{ width: "100%", marginBottom: 12 }}>
      {conflicts.length > 0 && <PayloadErrors errors={conflicts} onReload={onReload} />}
      {failure && <PayloadErrors failure={failure} />}
      {rest.length > 0 && <PayloadErrors errors={rest} />}
    </Space>
  );
}
