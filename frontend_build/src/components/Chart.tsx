// An ECharts chart that follows its container's size; options in, nothing else.
import * as echarts from "echarts";
import { useEffect, useRef } from "react";

type Props = {
  option: echarts.EChartsCoreOption;
  height?: number;
  /** What the chart shows, for screen readers (the data is also in a table beside it). */
  label: string;
  onClick?: (params: echarts.ECElementEvent) => void;
};

export function Chart({ option, height = 320, label, onClick }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: "svg" });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onClick) return;
    instance.on("click", onClick);
    return () => {
      instance.off("click", onClick);
    };
  }, [onClick]);

  return <div ref={element} role="img" aria-label={label} style={{ width: "100%", height }} />;
}
