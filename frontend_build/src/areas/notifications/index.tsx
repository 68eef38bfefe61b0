// The notifications area: every signed-in person's notifications.
import { BellOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { NotificationsPage } from "./NotificationsPage";

const kindsZh = {
  SELF_ASSESSMENT_DUE: "自评即将到期",
  SELF_ASSESSMENT_OVERDUE: "自评已逾期",
  REVIEW_DUE: "审核即将到期",
  HAZARD_DUE: "隐患整改即将到期",
  HAZARD_OVERDUE: "隐患整改逾期",
  TASK_DUE: "任务即将到期",
  TASK_OVERDUE: "任务逾期",
  APPEAL_FILED: "收到申诉",
  APPEAL_DECIDED: "申诉已处理",
};

const kindsEn = {
  SELF_ASSESSMENT_DUE: "Self-assessment due",
  SELF_ASSESSMENT_OVERDUE: "Self-assessment overdue",
  REVIEW_DUE: "Review due",
  HAZARD_DUE: "Hazard due",
  HAZARD_OVERDUE: "Hazard overdue",
  TASK_DUE: "Task due",
  TASK_OVERDUE: "Task overdue",
  APPEAL_FILED: "Appeal filed",
  APPEAL_DECIDED: "Appeal decided",
};

export const area: Area = {
  key: "notifications",
  menu: [{ path: "notifications", label: "notifications.menu", icon: <BellOutlined /> }],
  routes: [{ path: "notifications", element: <NotificationsPage /> }],
  messages: {
    zh: {
      menu: "通知",
      title: "通知",
      unreadCount: "{{count}} 条未读",
      show: "显示",
      unread: "未读",
      read: "已读",
      empty: "没有通知",
      kind: "类别",
      kinds: kindsZh,
      subject: "内容",
      due: "期限",
      createdAt: "发出时间",
      readBy: "{{who}} 于 {{at}} 已读",
      markOne: "标为已读",
      markSelected: "所选标为已读（{{count}}）",
      markPage: "本页全部标为已读",
    },
    en: {
      menu: "Notifications",
      title: "Notifications",
      unreadCount: "{{count}} unread",
      show: "Show",
      unread: "Unread",
      read: "Read",
      empty: "No notifications",
      kind: "Kind",
      kinds: kindsEn,
      subject: "Notification",
      due: "Deadline",
      createdAt: "Sent",
      readBy: "Read by {{who}} at {{at}}",
      markOne: "Mark read",
      markSelected: "Mark selected read ({{count}})",
      markPage: "Mark this page read",
    },
  },
};
