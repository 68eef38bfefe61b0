// A template's state as a coloured tag.
import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { TemplateState } from "../../gql/graphql";

const COLORS: Record<TemplateState, string> = { DRAFT: "gold", PUBLISHED: "green", ARCHIVED: "default" };

export function StateTag({ state }: { state: TemplateState }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[state]}>{t(`templates.states.${state}`)}</Tag>;
}
