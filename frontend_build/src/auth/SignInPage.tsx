// The sign-in screen: username and password, errors beside their fields, the throttle's
// message as the server words it.
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { setCsrfToken } from "../api/client";
import { describeFailure, showFieldErrors, type UserError } from "../api/errors";
import { useGqlMutation } from "../api/hooks";
import { SignInDocument } from "../gql/graphql";
import { LanguageSwitch } from "../layout/LanguageSwitch";
import { useViewer } from "./ViewerContext";

type Values = { username: string; password: string };

export function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const signIn = useGqlMutation(SignInDocument, { invalidate: false });
  const { refetch } = useViewer();
  const navigate = useNavigate();

  async function submit(values: Values) {
    setProblem(null);
    try {
      const { signIn: payload } = await signIn.mutateAsync(values);
      if (payload.viewer) {
        setCsrfToken(payload.viewer.csrfToken ?? null);
        await refetch();
        navigate("/", { replace: true });
        return;
      }
      const rest = showFieldErrors(form, payload.errors as UserError[], []);
      setProblem(rest.map((e) => e.message).join(" ") || null);
    } catch (error) {
      setProblem(describeFailure(error, t));
    }
  }

  return (
    <main className="sign-in">
      <Card style={{ width: 380 }}>
        <div className="sign-in-head">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t("app.name")}
          </Typography.Title>
          <LanguageSwitch />
        </div>
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
          <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
            {t("signIn.submit")}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          {t("signIn.demoHint")}
        </Typography.Paragraph>
      </Card>
    </main>
  );
}
