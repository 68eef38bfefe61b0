// The sign-in screen: username and password, errors beside their fields, the throttle's
// message as the server words it; for an account with a second factor, once the password was
// right (OTP_REQUIRED), the authenticator app's six-digit code too.
import { Alert, Button, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { setCsrfToken } from "../api/client";
import { describeFailure, showFieldErrors, type UserError } from "../api/errors";
import { useGqlMutation } from "../api/hooks";
import { isOtp, normaliseOtp } from "../areas/account/logic";
import { SignInDocument } from "../gql/graphql";
import { SignInFrame } from "./SignInFrame";
import { useViewer } from "./ViewerContext";

type Values = { username: string; password: string; otp?: string };

export function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const [needOtp, setNeedOtp] = useState(false);
  const signIn = useGqlMutation(SignInDocument, { invalidate: false });
  const { refetch } = useViewer();
  const navigate = useNavigate();

  async function submit(values: Values) {
    setProblem(null);
    try {
      const otp = needOtp ? normaliseOtp(values.otp) : null;
      const { signIn: payload } = await signIn.mutateAsync({ username: values.username, password: values.password, otp });
      if (payload.viewer) {
        setCsrfToken(payload.viewer.csrfToken ?? null);
        await refetch();
        navigate("/", { replace: true });
        return;
      }
      const errors = payload.errors as UserError[];
      if (errors.some((e) => e.code === "OTP_REQUIRED")) {
        setNeedOtp(true);
        const others = errors.filter((e) => e.code !== "OTP_REQUIRED");
        setProblem(others.map((e) => e.message).join(" ") || null);
        return;
      }
      const rest = showFieldErrors(form, errors, []);
      setProblem(rest.map((e) => e.message).join(" ") || null);
    } catch (error) {
      setProblem(describeFailure(error, t));
    }
  }

  return (
    <SignInFrame width={380}>
      <Typography.Paragraph type="secondary">{t("app.subtitle")}</Typography.Paragraph>
      <Typography.Title level={4}>{t("signIn.title")}</Typography.Title>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="username"
          label={t("signIn.username")}
          rules={[{ required: true, message: t("signIn.required", { field: t("signIn.username") }) }]}
        >
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t("signIn.password")}
          rules={[{ required: true, message: t("signIn.required", { field: t("signIn.password") }) }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {needOtp && (
          <>
            <Alert type="info" showIcon title={t("signIn.otpRequired")} style={{ marginBottom: 16 }} />
            <Form.Item
              name="otp"
              label={t("signIn.otp")}
              extra={t("signIn.otpHint")}
              rules={[
                {
                  validator: async (_, value: string) => {
                    if (!isOtp(value)) throw new Error(t("signIn.otpFormat"));
                  },
                },
              ]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} autoFocus style={{ width: 160 }} />
            </Form.Item>
          </>
        )}
        <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
          {t("signIn.submit")}
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        {t("signIn.demoHint")}
      </Typography.Paragraph>
    </SignInFrame>
  );
}
