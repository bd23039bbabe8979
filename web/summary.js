// The lines above a result: how many lines and pages, how long each stage took, and the warnings
// (a job's failed pages first); also what a screen reader announces when a result arrives.
"use strict";

import {$} from "./dom.js";
import {formatMs} from "./format.js";
import {t} from "./i18n.js";

/** Fill the result's counts, timings and warnings. */
export function showSummary(result) {
  $("stat-lines").textContent = String((result.results || []).length);
  $("stat-pages").textContent = String((result.pages || []).length || 1);
  $("stat-time").textContent = formatMs(result.total_time_ms);
  $("stat-model").textContent = (result.model && result.model.preset) || "—";
  $("timing-detail").textContent = timingDetail(result);
  showWarnings(result.warnings || [], failedPages(result));
}

function failedPages(result) {
  const pages = result.job && Array.isArray(result.job.pages_failed) ? result.job.pages_failed : [];
  return pages.map(Number).filter(Number.isFinite);
}

function showWarnings(warnings, failed) {
  const items = warnings.map((warning) => {
    const item = document.createElement("li");
    item.dataset.code = warning.code;
    item.textContent = warning.page ? `${t("pageHeading", {page: warning.page})}: ${warning.message}` : warning.message;
    return item;
  });
  if (failed.length) {
    const item = document.createElement("li");
    item.dataset.code = "pages_failed";
    item.textContent = t("pagesFailed", {pages: failed.join(",")});
    items.unshift(item);
  }
  $("warnings").replaceChildren(...items);
  $("warnings").hidden = !items.length;
}

export function announceResult(result) {
  const count = (result.results || []).length;
  $("announce").textContent = t("announceDone", {count, time: formatMs(result.total_time_ms)});
}

/** On a phone the results start below the fold: bring them up, unless they are already in view. */
export function revealResults() {
  const top = $("results").getBoundingClientRect().top;
  if (top > window.innerHeight * 0.6) {
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    $("results").scrollIntoView({behavior: smooth ? "smooth" : "auto", block: "start"});
  }
}

function timingDetail(result) {
  const stages = Object.entries(result.timings_ms || {}).map(([name, ms]) => `${stageName(name)} ${formatMs(ms)}`);
  if (result.job) {
    stages.unshift(t("jobSummary", {pages: result.job.pages_total, chunks: result.job.chunks}));
  }
  if (result.client_time_ms) {
    stages.push(t("roundTrip", {ms: result.client_time_ms}));
  }
  return stages.join(" · ");
}

function stageName(name) {
  const label = t(`stage_${name}`);
  return label === `stage_${name}` ? name : label; // a stage this page has no label for keeps its own name
}

