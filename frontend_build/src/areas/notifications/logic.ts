// Which notifications of a page are still unread (what "mark this page read" sends).
export function unreadIds(rows: readonly { id: string; read: boolean }[]): string[] {
  return rows.filter((r) => !r.read).map((r) => r.id);
}
