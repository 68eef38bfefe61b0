// A secret the server shows only once (a temporary password, an API token): a warning, the
// secret in a read-only field and a copy button.
import { CopyOutlined } from "@ant-design/icons";
import { Alert, App, Button, Input, Space } from "antd";
import { useTranslation } from "react-i18next";

type Props = {
  /** What the field is, e.g. "临时密码". */
  label: string;
  secret: string;
  /** Why it is shown once and what to do with it. */
  warning: string;
};

export function OneTimeSecret({ label, secret, warning }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      message.success(t("secret.copied"));
    } catch {
      // No clipboard (an insecure page): the field is selected for Ctrl-C instead.
      (document.getElementById("one-time-secret") as HTMLInputElement | null)?.select();
    }
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Alert type="warning" showIcon title={warning} />
      <Space.Compact style={{ width: "100%" }}>
        <Input
          id="one-time-secret"
          readOnly
          value={secret}
          aria-label={label}
          className="one-time-secret"
          onFocus={(e) => e.target.select()}
        />
        <Button icon={<CopyOutlined />} onClick={copy}>
          {t("secret.copy")}
        </Button>
      </Space.Compact>
    </Space>
  );
}
