// The card the sign-in screens sit in: the product's name and the language switch on top.
import { Card, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../layout/LanguageSwitch";

export function SignInFrame({ width, children }: { width: number; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <main className="sign-in">
      <Card style={{ width }}>
        <div className="sign-in-head">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t("app.name")}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        {children}
      </Card>
    </main>
  );
}
