// Every area of the app, in menu order (the first one a user's roles open is their home).
import type { Area } from "./area";
import { area as account } from "./account";
import { area as assessments } from "./assessments";
import { area as audit } from "./audit";
import { area as cycles } from "./cycles";
import { area as jobs } from "./jobs";
import { area as ledgers } from "./ledgers";
import { area as notifications } from "./notifications";
import { area as rankings } from "./rankings";
import { area as reports } from "./reports";
import { area as reviews } from "./reviews";
import { area as templates } from "./templates";
import { area as units } from "./units";

export const areas: Area[] = [
  rankings,
  assessments,
  reviews,
  templates,
  cycles,
  ledgers,
  units,
  notifications,
  reports,
  jobs,
  audit,
  account,
];
