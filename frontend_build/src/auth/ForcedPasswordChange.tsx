// Instead of the app, while a new password is due (a new account's temporary one, or after an
// admin's reset): the change, and signing out. Once changed, the viewer is read again and the
// app opens.
import { LogoutOutlined } from "@ant-design/icons";
import { Button, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ChangePasswordForm } from "../areas/account/ChangePasswordForm";
import { SignInFrame } from "./SignInFrame";
import { type PendingUser, useViewer } from "./ViewerContext";

export function ForcedPasswordChange({ user, onSignOut, signingOut }: { user: PendingUser; onSignOut: () => void; signingOut: boolean }) {
  const { t } = useTranslation();
  const { refetch } = useViewer();
  return (
    <SignInFrame width={460}>
      <Typography.Title level={4}>{t("signIn.forced.title")}</Typography.Title>
      <Typography.Paragraph>{t("signIn.forced.intro", { name: user.displayName })}</Typography.Paragraph>
      <ChangePasswordForm onChanged={() => void refetch()} />
      <Button icon={<LogoutOutlined />} onClick={onSignOut} loading={signingOut} style={{ marginTop: 16 }}>
        {t("shell.signOut")}
      </Button>
    </SignInFrame>
  );
}
