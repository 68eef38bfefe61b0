// A labelled field of the editor with the API's problems for its path shown beside it, and the
// editor's shared state (problems by path, read only or not).
import { Form } from "antd";
import { createContext, type ReactNode, useContext } from "react";

export type EditorState = { problems: Map<string, string[]>; readOnly: boolean };

export const EditorContext = createContext<EditorState>({ problems: new Map(), readOnly: true });

export function useEditor(): EditorState {
  return useContext(EditorContext);
}

type Props = {
  /** The API field path, e.g. content.items[0].children[1].maxPoints. */
  path: string;
  /** The id of the input inside, which the label names. */
  id: string;
  label: ReactNode;
  children: ReactNode;
  extra?: ReactNode;
  /** More messages to show beside it (e.g. the node's own problems). */
  also?: string[];
  style?: React.CSSProperties;
};

export function Field({ path, id, label, children, extra, also = [], style }: Props) {
  const { problems } = useEditor();
  const messages = [...(problems.get(path) ?? []), ...also];
  return (
    <Form.Item
      label={label}
      htmlFor={id}
      validateStatus={messages.length ? "error" : undefined}
      help={messages.length ? messages.join(" · ") : undefined}
      extra={extra}
      style={style}
    >
      {children}
    </Form.Item>
  );
}

/** An id safe for the DOM from a field path. */
export function domId(path: string): string {
  return `tpl-${path.replace(/[^a-zA-Z0-9]+/g, "-")}`;
}
