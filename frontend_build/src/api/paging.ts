// Server-side paging over a Relay connection (keyset cursors): the page's `first`/`after`, and
// the antd pagination that moves through pages in order (a cursor is known once its page was read).
import { useState } from "react";

type PageInfo = { hasNextPage: boolean; endCursor?: string | null };

export function useCursorPaging(pageSize = 20) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState(0);

  return {
    first: pageSize,
    after: cursors[page] ?? null,
    /** Start over (a filter changed). */
    reset: () => {
      setCursors([null]);
      setPage(0);
    },
    /** antd Table/List pagination for a connection page with `totalCount` and `pageInfo`. */
    pagination: (totalCount: number | undefined, pageInfo: PageInfo | undefined) => ({
      current: page + 1,
      pageSize,
      total: totalCount ?? 0,
      showSizeChanger: false,
      simple: true,
      onChange: (next: number) => {
        const wanted = next - 1;
        if (wanted <= page) {
          setPage(Math.max(0, wanted));
          return;
        }
        // Forward one page at a time: the next cursor is the current page's end.
        if (pageInfo?.hasNextPage && pageInfo.endCursor) {
          const known = [...cursors.slice(0, page + 1), pageInfo.endCursor];
          setCursors(known);
          setPage(page + 1);
        }
      },
    }),
  };
}
