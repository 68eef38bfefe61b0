// Reset a user's password (optionally removing their second factor, for a lost phone): their
// browsers are signed out, and the temporary password is shown this one time.
import { Checkbox, Modal, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { PayloadErrors } from "../../components/PayloadErrors";
import { UnitsResetPasswordDocument } from "../../gql/graphql";

type User = { id: string; username: string; displayName: string; secondFactor: boolean };

export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const [removeSecondFactor, setRemoveSecondFactor] = useState(false);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [password, setPassword] = useState<string | null>(null);
  const reset = useGqlMutation(UnitsResetPasswordDocument);

  async function submit() {
    setErrors([]);
    try {
      const payload = (await reset.mutateAsync({ input: { userId: user.id, removeSecondFactor } })).resetPassword;
      if (payload.errors.length > 0 || !payload.temporaryPassword) setErrors(payload.errors);
      else setPassword(payload.temporaryPassword);
    } catch {
      // shown in the dialog
    }
  }

  return (
    <Modal
      open
      title={t("units.reset.title", { user: user.displayName })}
      okText={password ? t("units.newUser.done") : t("units.reset.submit")}
      okButtonProps={password ? undefined : { danger: true }}
      cancelText={t("common.cancel")}
      cancelButtonProps={password ? { style: { display: "none" } } : undefined}
      onOk={() => (password ? onClose() : submit())}
      onCancel={onClose}
      maskClosable={!password}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      <PayloadErrors errors={errors} failure={reset.error} fieldsKey="units.fields" />
      {password ? (
        <>
          <Typography.Paragraph>{t("units.reset.done", { username: user.username })}</Typography.Paragraph>
          <OneTimeSecret label={t("units.temporaryPassword")} secret={password} warning={t("units.reset.warning")} />
        </>
      ) : (
        <>
          <Typography.Paragraph>{t("units.reset.explain", { username: user.username })}</Typography.Paragraph>
          {user.secondFactor && (
            <Checkbox checked={removeSecondFactor} onChange={(e) => setRemoveSecondFactor(e.target.checked)}>
              {t("units.reset.removeSecondFactor")}
            </Checkbox>
          )}
        </>
      )}
    </Modal>
  );
}
