// The progress line of a request: a bar (bytes sent, a job's pages read, or indeterminate while the
// server works), what is happening in words, and the seconds it has taken so far.
"use strict";

import {$} from "./dom.js";
import {t} from "./i18n.js";

/** Phases with a measured fraction: bytes sent, or a job's pages read. */
const MEASURED_PHASES = ["uploading", "storing", "job_queued", "job_running", "job_merging"];

let current = null;
let startedAt = 0;
let ticker = 0;

/** Show the bar for a new request (busy results, no re-run meanwhile); ticks every half second. */
export function startProgress() {
  startedAt = performance.now();
  current = {phase: "uploading", fraction: 0};
  $("progress").hidden = false;
  $("rerun-button").disabled = true;
  $("results").setAttribute("aria-busy", "true");
  renderProgress();
  clearInterval(ticker);
  ticker = setInterval(renderProgress, 500);
}

export function updateProgress(progress) {
  current = progress;
  renderProgress();
}

/** Milliseconds since the request started, as the user waited for it. */
export function elapsedMs() {
  return performance.now() - startedAt;
}

/** Draw the bar and its label in the current language (also after a language switch). */
export function renderProgress() {
  if ($("progress").hidden) {
    return;
  }
  const progress = current || {};
  const {phase, fraction} = progress;
  const bar = $("progress-bar");
  const seconds = Math.floor(elapsedMs() / 1000);
  const percent = Math.round((fraction || 0) * 100);
  if (MEASURED_PHASES.includes(phase)) {
    bar.value = fraction || 0;
  } else {
    bar.removeAttribute("value"); // indeterminate while the server works
  }
  $("progress").dataset.phase = phase || "recognizing";
  const job = {done: progress.pagesDone, total: progress.pagesTotal, chunks: progress.chunksTotal};
  $("progress-label").textContent = t(phase || "recognizing", {percent, seconds, ...job});
}

export function stopProgress() {
  clearInterval(ticker);
  $("progress").hidden = true;
  $("rerun-button").disabled = false;
  $("results").removeAttribute("aria-busy");
}
