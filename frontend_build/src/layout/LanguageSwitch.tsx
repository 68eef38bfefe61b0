// 中文 / English, remembered in the browser.
import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { type Language, setLanguage } from "../i18n";

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented<Language>
      aria-label={t("shell.language")}
      size="small"
      value={i18n.language === "en" ? "en" : "zh"}
      options={[
        { label: "中文", value: "zh" },
        { label: "English", value: "en" },
      ]}
      onChange={(value) => setLanguage(value)}
    />
  );
}
