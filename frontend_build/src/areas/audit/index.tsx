// The audit area: the hash-chained log of what was done on the units an admin administers.
import { AuditOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { AuditPage } from "./AuditPage";

export const area: Area = {
  key: "audit",
  menu: [{ path: "/audit", label: "audit.menu", icon: <AuditOutlined />, roles: ["ADMIN"] }],
  routes: [{ path: "audit", element: <AuditPage /> }],
  messages: {
    zh: {
      menu: "审计日志",
      title: "审计日志",
      intro: "您所管理单位的登录、账户、角色和所有修改记录，新的在前；记录以哈希链相连，不可修改。",
      at: "时间",
      actor: "操作人",
      action: "操作",
      actionPlaceholder: "如 signIn、createUser",
      subject: "对象",
      unit: "单位",
      address: "网络地址",
      period: "日期",
      details: "详情",
      seq: "序号",
      requestId: "请求编号",
      hash: "哈希",
      prevHash: "上一条的哈希",
      empty: "没有符合条件的记录",
    },
    en: {
      menu: "Audit log",
      title: "Audit log",
      intro: "Sign-ins, accounts, roles and every change on the units you administer, newest first; the entries are hash-chained and never change.",
      at: "Time",
      actor: "By",
      action: "Action",
      actionPlaceholder: "e.g. signIn, createUser",
      subject: "Subject",
      unit: "Unit",
      address: "Address",
      period: "Days",
      details: "Details",
      seq: "Number",
      requestId: "Request id",
      hash: "Hash",
      prevHash: "Previous hash",
      empty: "No entries match",
    },
  },
};
