// The cost digest in one import: build (contract-checked), render as text and PNG, schedule.
export {
  buildDigest,
  buildDigestReport,
  defaultDigestPeriod,
  markDigestSent,
  type DigestDeps,
  type DigestPeriod,
  type DigestReport,
} from './build-digest.js';
export { digestFooter, renderDigestText, type DigestExtras } from './render-digest-text.js';
export { renderDigestPng, renderDigestSvg } from './render-digest-png.js';
export {
  DEFAULT_DIGEST_CRON,
  nextDigestRun,
  postDigest,
  scheduleDigest,
  type ScheduleDigestOptions,
} from './schedule-digest.js';
