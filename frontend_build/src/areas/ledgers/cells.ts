// Table cells that must not wrap (dates, unit names, tags), so narrow columns stay readable.
export const nowrap = () => ({ style: { whiteSpace: "nowrap" as const } });
