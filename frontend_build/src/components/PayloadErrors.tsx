// One alert for what a refused mutation said (errors no form field shows, a conflict with its reload button) or a failed request.
import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";
import { describeFailure, isConflict, type UserError } from "../api/errors";

type Props = {
  errors?: readonly UserError[];
  failure?: unknown;
  onReload?: () => void;
  /** Where an area's words for its API fields are ("units.fields" -> "units.fields.name"); the field itself when absent. */
  fieldsKey?: string;
  /** Words for API fields the form has no input for (e.g. files: "佐证材料"); they win over fieldsKey. */
  labels?: Record<string, string>;
};

export function PayloadErrors({ errors = [], failure, onReload, fieldsKey, labels = {} }: Props) {
  const { t, i18n } = useTranslation();
  if (failure) {
    return <Alert type="error" showIcon role="alert" title={describeFailure(failure, t)} style={{ marginBottom: 16 }} />;
  }
  if (errors.length === 0) return null;
  if (isConflict(errors)) {
    return (
      <Alert
        type="warning"
        showIcon
        role="alert"
        title={t("errors.conflict")}
        action={onReload && <Button onClick={onReload}>{t("errors.reload")}</Button>}
        style={{ marginBottom: 16 }}
      />
    );
  }
  const label = (raw: string) => {
    const field = raw.replace(/^input\./, "");
    if (labels[field] !== undefined) return labels[field];
    if (!fieldsKey) return raw;
    return i18n.exists(`${fieldsKey}.${field}`) ? t(`${fieldsKey}.${field}`) : field;
  };
  const text = (e: UserError) => (e.field ? `${label(e.field)}：${e.message}` : e.message);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={
        errors.length === 1 ? (
          text(errors[0])
        ) : (
          <ul style={{ margin: 0, paddingLeft: 16 }}>
            {errors.map((e, i) => (
              <li key={i}>{text(e)}</li>
            ))}
          </ul>
        )
      }
    />
  );
}
