// An indicator's requirement (考评内容) where clerks and reviewers read it: two lines with its
// label, expandable to the whole paragraph (it can run to thousands of characters); nothing when
// the template gives none.
import { Tag, Typography } from "antd";
import type { CSSProperties } from "react";

type Props = {
  text: string | null | undefined;
  /** The translated label, e.g. 考评内容 (none: where the label stands beside it already). */
  label?: string;
  rows?: number;
  style?: CSSProperties;
};

export function RequirementText({ text, label, rows = 2, style }: Props) {
  if (!text || !text.trim()) return null;
  return (
    <Typography.Paragraph
      ellipsis={{ rows, expandable: "collapsible" }}
      style={{ whiteSpace: "pre-line", marginBottom: 8, ...style }}
      data-testid="requirement"
    >
      {label && (
        <Tag color="blue" variant="filled">
          {label}
        </Tag>
      )}
      {text.trim()}
    </Typography.Paragraph>
  );
}

/** The first `max` characters of a long text, with an ellipsis when cut (for tooltips). */
export function clip(text: string, max = 200): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
}
