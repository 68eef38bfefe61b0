// The letterhead's wording: every report label of one language with Redline's text and the
// province's override (blank: the default), which must keep the default's {names}.
import { Form, Input, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { ReportLanguage } from "../../gql/graphql";
import { type Label, placeholderProblem } from "./logic";

export function WordingTable({ labels, language }: { labels: readonly Label[]; language: ReportLanguage }) {
  const { t } = useTranslation();
  return (
    <Table<Label>
      rowKey={(l) => `${l.language}.${l.key}`}
      size="small"
      pagination={false}
      scroll={{ y: 420 }}
      aria-label={`${t("reports.letterheadPage.wording")} ${t(`reports.languages.${language}`)}`}
      dataSource={labels.filter((l) => l.language === language)}
      columns={[
        {
          title: t("reports.letterheadPage.labelKey"),
          key: "key",
          width: 180,
          render: (_, l) => <Typography.Text code>{l.key}</Typography.Text>,
        },
        { title: t("reports.letterheadPage.defaultText"), dataIndex: "defaultText", width: "35%" },
        {
          title: t("reports.letterheadPage.override"),
          key: "override",
          render: (_, l) => (
            <Form.Item
              name={["overrides", l.language, l.key]}
              style={{ margin: 0 }}
              rules={[
                {
                  validator: async (_rule, value: string | undefined) => {
                    const text = value?.trim();
                    if (!text) return;
                    const problem = placeholderProblem(l.defaultText, text);
                    if (!problem) return;
                    const braces = (names: string[]) => names.map((n) => `{${n}}`).join(" ");
                    throw new Error(
                      problem.missing.length
                        ? t("reports.letterheadPage.missingNames", { names: braces(problem.missing) })
                        : t("reports.letterheadPage.extraNames", { names: braces(problem.extra) }),
                    );
                  },
                },
              ]}
            >
              <Input
                allowClear
                placeholder={t("reports.letterheadPage.overridePlaceholder")}
                aria-label={`${t("reports.letterheadPage.override")} ${t(`reports.languages.${l.language}`)} ${l.key}`}
              />
            </Form.Item>
          ),
        },
      ]}
    />
  );
}
