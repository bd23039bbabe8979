// The upload page: pick, drop or paste a file, send it to the OCR API, show what came back.
"use strict";

import {ApiError, exportFile, fetchOptions, recognize, serverHealth} from "./api.js";
import {EXTENSIONS, exportLinks, extensionFor, jobExports, saveBlob} from "./downloads.js";
import {initialLanguage, language, setLanguage, t} from "./i18n.js";
import {copyText} from "./clipboard.js";
import {choice, control, requestOptions, translated} from "./controls.js";
import {$, toast} from "./dom.js";
import {listenForFiles} from "./file_sources.js";
import {formatBytes} from "./format.js";
import {errorMessage} from "./messages.js";
import {buildPresets} from "./presets.js";
import {elapsedMs, renderProgress, startProgress, stopProgress, updateProgress} from "./progress.js";
import {announceResult, revealResults, showSummary} from "./summary.js";
import {initThreshold, threshold, updateLowCount} from "./threshold.js";
import {allText, linkLinesAndBoxes, renderResult} from "./view.js";

/** The one option the page offers differently: the export menu next to "Download JSON". */
const EXPORT_OPTION = "format";
/** The spreadsheet export behind each table's "Download .xlsx" button. */
const TABLE_FORMAT = "xlsx";

const state = {
  file: null,
  imageUrl: null,
  result: null,
  error: null,
  controller: null,
  optionSpecs: [],
  exportFormats: [],
};

function init() {
  setLanguage(initialLanguage());
  syncLanguageButtons();
  initThreshold($("pages-container"));
  const base = String((window.OCR_CONFIG || {}).apiBase || "").replace(/\/+$/, "");
  $("docs-link").href = base ? `${base}/docs` : "docs";

  listenForFiles({input: $("file-input"), button: $("pick-button"), zone: $("dropzone")}, useFile);
  $("rerun-button").addEventListener("click", run);
  $("retry-button").addEventListener("click", run);
  $("clear-button").addEventListener("click", clear);
  $("cancel-button").addEventListener("click", () => state.controller?.abort());
  $("copy-button").addEventListener("click", copyAll);
  $("download-button").addEventListener("click", downloadJson);
  $("export-button").addEventListener("click", downloadExport);
  $("pages-container").addEventListener("click", onTableDownload);
  for (const button of document.querySelectorAll(".lang-switch button")) {
    button.addEventListener("click", () => switchLanguage(button.dataset.lang));
  }
  linkLinesAndBoxes($("pages-container"));
  document.documentElement.dataset.ready = "true"; // for tests and scripts: every handler is attached
  loadOptions();
  serverHealth(); // asked early: whether large files can be uploaded is known before one is picked
}

// ---- options from the server -------------------------------------------------------------

/**
 * Build every option control from GET /options: the basic ones in the main row, the others under
 * "More options", `format` as the export menu. The server's table is the only list of options, so
 * the page never sends a name the server does not know.
 */
async function loadOptions() {
  let specs;
  try {
    specs = (await fetchOptions()).options || [];
  } catch {
    $("more-options").hidden = true; // the server's defaults apply; the error shows on a request
    return;
  }
  state.optionSpecs = specs;
  const shown = specs.filter((spec) => spec.name !== EXPORT_OPTION);
  $("main-options").replaceChildren(...shown.filter((spec) => spec.basic).map(control));
  const container = $("extra-options");
  container.replaceChildren(...shown.filter((spec) => !spec.basic).map(control));
  $("more-options").hidden = !container.children.length;
  const formats = specs.find((spec) => spec.name === EXPORT_OPTION);
  state.exportFormats = ((formats && formats.enum) || []).filter((value) => value in EXTENSIONS);
  $("export-format").replaceChildren(...state.exportFormats.map((value) => choice(`format_${value}`, value)));
  buildPresets($("presets"), $("upload"));
  document.documentElement.dataset.options = "true";
}

// ---- choosing a file -------------------------------------------------------------------

function useFile(file) {
  state.controller?.abort();
  if (state.imageUrl) {
    URL.revokeObjectURL(state.imageUrl);
  }
  state.file = file;
  state.imageUrl = isPdf(file) ? null : URL.createObjectURL(file);
  state.result = null;
  $("file-name").textContent = file.name || "clipboard";
  $("file-size").textContent = formatBytes(file.size);
  $("file-bar").hidden = false;
  run();
}

function clear() {
  state.controller?.abort();
  if (state.imageUrl) {
    URL.revokeObjectURL(state.imageUrl);
  }
  Object.assign(state, {file: null, imageUrl: null, result: null, error: null});
  $("file-bar").hidden = true;
  $("results").hidden = true;
  $("pages-container").replaceChildren();
  showError(null);
  $("pick-button").focus();
}

// ---- recognizing -----------------------------------------------------------------------

async function run() {
  if (!state.file) {
    return;
  }
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  showError(null);
  startProgress();
  try {
    const result = await recognize(state.file, requestOptions(), {
      onProgress: updateProgress,
      signal: controller.signal,
    });
    if (!result || result.success === false) {
      throw apiErrorFromBody(result);
    }
    result.client_time_ms = Math.round(elapsedMs());
    state.result = result;
    showResult();
    announceResult(result);
    revealResults();
  } catch (error) {
    if (!(error instanceof ApiError && error.kind === "aborted")) {
      state.result = null;
      $("results").hidden = true;
      showError(error instanceof ApiError ? error : new ApiError("bad_response", {message: String(error)}));
    }
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      stopProgress();
    }
  }
}

function apiErrorFromBody(body) {
  const error = (body && body.error) || {};
  return new ApiError("http", {
    status: 200,
    code: error.code || "",
    message: error.message || "",
    requestId: (body && body.request_id) || "",
  });
}

// ---- results ---------------------------------------------------------------------------

function showResult() {
  const result = state.result;
  renderResult($("pages-container"), result, {imageUrl: state.imageUrl, threshold: threshold()});
  showSummary(result);
  showExports(result);
  updateLowCount();
  $("results").hidden = false;
}

/** A job's result carries its exports: links to them replace the menu, which would send the file
 * again (and POST /ocr reads only the first pages of a long document). */
function showExports(result) {
  const exports = jobExports(result, state.exportFormats.length ? state.exportFormats : Object.keys(EXTENSIONS));
  $("job-exports").replaceChildren(...exportLinks(exports, translated));
  $("job-exports").hidden = !exports.length;
  $("export-menu").hidden = exports.length > 0;
}

async function copyAll() {
  if (!state.result) {
    return;
  }
  toast((await copyText(allText(state.result))) ? t("copied") : t("copyFailed"));
}

function downloadJson() {
  if (!state.result) {
    return;
  }
  const {client_time_ms: _ignored, ...result} = state.result;
  saveBlob(new Blob([JSON.stringify(result, null, 2)], {type: "application/json"}), state.file && state.file.name, "json");
}

/** An export from the menu: the server builds it from the same file (or upload) and options. */
function downloadExport() {
  exportAs($("export-format").value, requestOptions(), $("export-button"));
}

/** A table's "Download .xlsx": every table of the result, a sheet each ("Table n"). A job's stored
 * export when it has one; else POST /ocr again, for a job with only the table's page (POST /ocr
 * reads the first pages of a long upload only). */
function onTableDownload(event) {
  const button = event.target.closest(".table-xlsx");
  if (!button || !state.result) {
    return;
  }
  const [stored] = jobExports(state.result, [TABLE_FORMAT]);
  if (stored) {
    $("job-exports").querySelector(`[data-format="${TABLE_FORMAT}"]`)?.click();
    return;
  }
  const options = requestOptions();
  if (state.result.job) {
    options.pages = button.dataset.page;
  }
  exportAs(TABLE_FORMAT, options, button);
}

async function exportAs(format, options, button) {
  if (!state.file || !state.result) {
    return;
  }
  button.disabled = true;
  toast(t("exporting"));
  try {
    const blob = await exportFile(state.file, options, format, {uploadKey: state.result.uploadKey});
    saveBlob(blob, state.file.name, extensionFor(format, blob.type));
  } catch (error) {
    showError(error instanceof ApiError ? error : new ApiError("bad_response", {message: String(error)}));
    toast(t("exportFailed"));
  } finally {
    button.disabled = false;
  }
}

// ---- errors ----------------------------------------------------------------------------

function showError(error) {
  state.error = error;
  const box = $("error");
  if (!error) {
    box.hidden = true;
    return;
  }
  $("error-message").textContent = errorMessage(error);
  const details = [];
  if (error.detail) {
    details.push(t("errDetail", {message: error.detail}));
  }
  if (error.requestId) {
    details.push(t("errRequestId", {id: error.requestId}));
  }
  $("error-detail").textContent = details.join(" · ");
  $("error-detail").hidden = !details.length;
  box.dataset.code = error.code || error.kind;
  box.hidden = false;
}

// ---- language --------------------------------------------------------------------------

function switchLanguage(lang) {
  setLanguage(lang);
  syncLanguageButtons();
  if (state.result) {
    showResult(); // dynamic labels (page headings, badges) are rendered in the language
  }
  if (state.error) {
    showError(state.error);
  }
  renderProgress();
}

function syncLanguageButtons() {
  for (const button of document.querySelectorAll(".lang-switch button")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === language()));
  }
}

// ---- small helpers ---------------------------------------------------------------------

function isPdf(file) {
  return file.type === "application/pdf" || /\.pdf$/i.test(file.name || "");
}

init();
