// The jobs area: the province's background job runs and a full recompute (admins).
import { SyncOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { JobRunsPage } from "./JobRunsPage";

export const area: Area = {
  key: "jobs",
  menu: [{ path: "jobs", label: "jobs.menu", icon: <SyncOutlined />, roles: ["ADMIN"] }],
  routes: [{ path: "jobs", element: <JobRunsPage /> }],
  messages: {
    zh: {
      menu: "后台任务",
      title: "后台任务",
      start: "全量重算",
      confirmTitle: "开始全量重算？",
      confirmText: "重新计算全省所有未定稿的考核，修复偏差并重新发布排名。可能需要几分钟。",
      kind: "任务类别",
      kinds: { FULL_RECOMPUTE: "全量重算", OVERDUE_SWEEP: "逾期扫描", DEADLINE_REMINDERS: "到期提醒", REPORT: "报告打印" },
      states: { QUEUED: "排队中", RUNNING: "运行中", SUCCEEDED: "已完成", FAILED: "失败" },
      progress: "进度",
      requestedBy: "发起人",
      schedule: "定时任务",
      queuedAt: "排队时间",
      startedAt: "开始时间",
      finishedAt: "结束时间",
      attempts: "尝试次数",
      result: "结果 / 错误",
      empty: "还没有后台任务记录",
    },
    en: {
      menu: "Job runs",
      title: "Job runs",
      start: "Full recompute",
      confirmTitle: "Start a full recompute?",
      confirmText: "Every open assessment of the province is scored again, drift repaired and the rankings published again. It may take a few minutes.",
      kind: "Kind",
      kinds: { FULL_RECOMPUTE: "Full recompute", OVERDUE_SWEEP: "Overdue sweep", DEADLINE_REMINDERS: "Deadline reminders", REPORT: "Report printing" },
      states: { QUEUED: "Queued", RUNNING: "Running", SUCCEEDED: "Succeeded", FAILED: "Failed" },
      progress: "Progress",
      requestedBy: "Started by",
      schedule: "Schedule",
      queuedAt: "Queued",
      startedAt: "Started",
      finishedAt: "Finished",
      attempts: "Attempts",
      result: "Result / error",
      empty: "No job runs yet",
    },
  },
};
