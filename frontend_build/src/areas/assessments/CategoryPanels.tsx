// The indicator tree: one collapsible panel per top category (with its self subtotal and how
// many indicators are filled), subcategories as headed groups inside, indicators as cards.
import { Collapse, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatPoints } from "../../format";
import type { AssessmentCardFragment } from "../../gql/graphql";
import { type Entry, type Section, indexesIn, isFilled, rowFromEntry } from "./entries";
import { IndicatorCard } from "./IndicatorCard";

type Props = {
  sections: Section[];
  entries: readonly Entry[];
  card: AssessmentCardFragment | null;
  open: string[];
  onOpen: (keys: string[]) => void;
  editable: boolean;
  assessmentId: string;
  showReview: boolean;
};

export function sectionKey(section: Section): string {
  return section.code || "_other";
}

export function CategoryPanels(props: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const subtotal = (code: string) => props.card?.categories.find((c) => c.code === code);

  const header = (section: Section) => {
    const all = indexesIn(section);
    const filled = all.filter((i) => isFilled(props.entries[i].indicator, rowFromEntry(props.entries[i]))).length;
    const sub = subtotal(section.code);
    return (
      <Space size={8} wrap style={{ width: "100%", justifyContent: "space-between" }}>
        <Typography.Text strong>
          {section.code ? `${section.code} ${section.title}` : t("assessments.other")}
        </Typography.Text>
        <Space size={4} wrap>
          {section.bonus && <Tag color="gold">{t("assessments.bonus")}</Tag>}
          <Tag color={filled === all.length ? "green" : "orange"}>
            {t("assessments.progress", { filled, total: all.length })}
          </Tag>
          {sub && (
            <Tag color="red">
              {formatPoints(sub.points, language)} / {formatPoints(sub.maxPoints, language)}
            </Tag>
          )}
        </Space>
      </Space>
    );
  };

  const body = (section: Section, depth: number) => (
    <>
      {section.indexes.map((index) => (
        <IndicatorCard
          key={props.entries[index].indicator.code}
          index={index}
          entry={props.entries[index]}
          editable={props.editable}
          assessmentId={props.assessmentId}
          showReview={props.showReview}
        />
      ))}
      {section.children.map((child) => {
        const sub = subtotal(child.code);
        return (
          <div key={child.code} style={{ marginTop: 8, paddingLeft: depth > 0 ? 12 : 0 }}>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {child.code} {child.title}
              {sub && (
                <Typography.Text type="secondary" style={{ fontWeight: "normal", marginLeft: 8 }}>
                  {formatPoints(sub.points, language)} / {formatPoints(sub.maxPoints, language)}
                </Typography.Text>
              )}
            </Typography.Title>
            {body(child, depth + 1)}
          </div>
        );
      })}
    </>
  );

  return (
    <Collapse
      activeKey={props.open}
      onChange={(keys) => props.onOpen(Array.isArray(keys) ? keys : [keys])}
      items={props.sections.map((section) => ({
        key: sectionKey(section),
        label: header(section),
        children: body(section, 0),
      }))}
    />
  );
}
