// The second factor: off, being set up (a QR code of the otpauth address and the secret, then a
// code to confirm), or on (turned off with the password and a code).
import { App, Button, Card, Form, Input, Space, Tag, Typography } from "antd";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { showFieldErrors, type UserError } from "../../api/errors";
import { useGqlMutation } from "../../api/hooks";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { PayloadErrors } from "../../components/PayloadErrors";
import {
  AccountBeginSecondFactorDocument,
  AccountConfirmSecondFactorDocument,
  AccountDisableSecondFactorDocument,
} from "../../gql/graphql";
import { isOtp, normaliseOtp } from "./logic";

type Setup = { secret: string; otpauthUri: string };

function QrCode({ value, label }: { value: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { margin: 1, width: 200, errorCorrectionLevel: "M" }).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [value]);
  return src ? <img src={src} alt={label} width={200} height={200} className="qr-code" /> : null;
}

export function SecondFactorCard({ on }: { on: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [rest, setRest] = useState<UserError[]>([]);
  const [confirmForm] = Form.useForm<{ code: string }>();
  const [disableForm] = Form.useForm<{ password: string; code: string }>();
  const begin = useGqlMutation(AccountBeginSecondFactorDocument, { invalidate: false });
  const confirm = useGqlMutation(AccountConfirmSecondFactorDocument);
  const disable = useGqlMutation(AccountDisableSecondFactorDocument);
  const codeRule = {
    validator: async (_: unknown, value: string) => {
      if (!isOtp(value)) throw new Error(t("account.secondFactor.codeFormat"));
    },
  };

  async function start() {
    setRest([]);
    try {
      const payload = (await begin.mutateAsync({})).beginSecondFactor;
      if (payload.errors.length > 0 || !payload.secret || !payload.otpauthUri) setRest(payload.errors);
      else setSetup({ secret: payload.secret, otpauthUri: payload.otpauthUri });
    } catch {
      // shown below
    }
  }

  async function finish({ code }: { code: string }) {
    setRest([]);
    try {
      const payload = (await confirm.mutateAsync({ input: { code: normaliseOtp(code) } })).confirmSecondFactor;
      if (payload.errors.length > 0 || !payload.viewer) {
        setRest(showFieldErrors(confirmForm, payload.errors));
        return;
      }
      setSetup(null);
      message.success(t("account.secondFactor.enabled"));
    } catch {
      // shown below
    }
  }

  async function turnOff(values: { password: string; code: string }) {
    setRest([]);
    try {
      const payload = (
        await disable.mutateAsync({ input: { password: values.password, code: normaliseOtp(values.code) } })
      ).disableSecondFactor;
      if (payload.errors.length > 0 || !payload.viewer) {
        setRest(showFieldErrors(disableForm, payload.errors));
        return;
      }
      disableForm.resetFields();
      message.success(t("account.secondFactor.disabled"));
    } catch {
      // shown below
    }
  }

  return (
    <Card
      title={t("account.secondFactor.title")}
      extra={on ? <Tag color="success">{t("account.secondFactor.on")}</Tag> : <Tag>{t("account.secondFactor.off")}</Tag>}
    >
      <PayloadErrors errors={rest} failure={begin.error ?? confirm.error ?? disable.error} fieldsKey="account.fields" />
      {on ? (
        <>
          <Typography.Paragraph>{t("account.secondFactor.explainOn")}</Typography.Paragraph>
          <Form form={disableForm} name="disable-second-factor" layout="vertical" onFinish={turnOff} style={{ maxWidth: 420 }} disabled={disable.isPending}>
            <Form.Item name="password" label={t("account.secondFactor.disablePassword")} rules={[{ required: true, message: t("account.password.required", { field: t("account.secondFactor.disablePassword") }) }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item name="code" label={t("account.secondFactor.code")} rules={[codeRule]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} style={{ width: 160 }} />
            </Form.Item>
            <Button danger htmlType="submit" loading={disable.isPending}>
              {t("account.secondFactor.disable")}
            </Button>
          </Form>
        </>
      ) : setup ? (
        <Space orientation="vertical" size="middle" style={{ width: "100%", maxWidth: 520 }}>
          <Typography.Text>{t("account.secondFactor.scan")}</Typography.Text>
          <QrCode value={setup.otpauthUri} label={t("account.secondFactor.qr")} />
          <OneTimeSecret label={t("account.secondFactor.secret")} secret={setup.secret} warning={t("account.secondFactor.secretWarning")} />
          <Form form={confirmForm} name="confirm-second-factor" layout="inline" onFinish={finish} disabled={confirm.isPending}>
            <Form.Item name="code" label={t("account.secondFactor.code")} rules={[codeRule]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} style={{ width: 140 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={confirm.isPending}>
              {t("account.secondFactor.confirm")}
            </Button>
            <Button type="link" onClick={() => setSetup(null)}>
              {t("account.secondFactor.cancel")}
            </Button>
          </Form>
        </Space>
      ) : (
        <>
          <Typography.Paragraph>{t("account.secondFactor.explainOff")}</Typography.Paragraph>
          <Button onClick={start} loading={begin.isPending}>
            {t("account.secondFactor.begin")}
          </Button>
        </>
      )}
    </Card>
  );
}
