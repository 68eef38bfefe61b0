// The requirement as clerks and reviewers read it: labelled when there is one, nothing when the
// template gives none, and long ones cut short for a tooltip.
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { clip, RequirementText } from "./RequirementText";

afterEach(cleanup);

describe("RequirementText", () => {
  it("shows the label and the text", () => {
    render(<RequirementText text={" 建立健全安全生产责任制 "} label="考评内容" />);
    const paragraph = screen.getByTestId("requirement");
    expect(paragraph.textContent).toContain("考评内容");
    expect(paragraph.textContent).toContain("建立健全安全生产责任制");
  });

  it("renders nothing for an empty or blank requirement", () => {
    const { container } = render(
      <>
        <RequirementText text="" label="考评内容" />
        <RequirementText text={"  \n "} label="考评内容" />
        <RequirementText text={null} label="考评内容" />
      </>,
    );
    expect(container.textContent).toBe("");
  });

  it("clips long text for tooltips", () => {
    expect(clip(" short ")).toBe("short");
    const long = "要".repeat(500);
    expect(clip(long, 200)).toBe(`${"要".repeat(200)}…`);
  });
});
