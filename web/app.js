// The upload page: pick, drop or paste a file, send it to the OCR API, show what came back.
"use strict";

import {ApiError, exportFile, fetchOptions, recognize, syncMaxBytes} from "./api.js";
import {initialLanguage, language, setLanguage, t} from "./i18n.js";
import {allText, applyThreshold, linkLinesAndBoxes, renderResult} from "./view.js";

const THRESHOLD_KEY = "ocr.threshold";
const DEFAULT_THRESHOLD = 0.8;
/** The one option the page offers differently: the export menu next to "Download JSON". */
const EXPORT_OPTION = "format";
const EXTENSIONS = {text: "txt", markdown: "md", jsonl: "jsonl", pdf: "pdf"};

const $ = (id) => document.getElementById(id);

const state = {
  file: null,
  imageUrl: null,
  result: null,
  error: null,
  controller: null,
  progress: null,
  startedAt: 0,
  ticker: 0,
  optionSpecs: [],
};

function init() {
  setLanguage(initialLanguage());
  syncLanguageButtons();
  initThreshold();
  const base = String((window.OCR_CONFIG || {}).apiBase || "").replace(/\/+$/, "");
  $("docs-link").href = base ? `${base}/docs` : "docs";

  $("pick-button").addEventListener("click", (event) => {
    event.stopPropagation();
    $("file-input").click();
  });
  $("dropzone").addEventListener("click", () => $("file-input").click());
  $("file-input").addEventListener("change", onFileInput);
  $("rerun-button").addEventListener("click", run);
  $("retry-button").addEventListener("click", run);
  $("clear-button").addEventListener("click", clear);
  $("cancel-button").addEventListener("click", () => state.controller?.abort());
  $("copy-button").addEventListener("click", copyAll);
  $("download-button").addEventListener("click", downloadJson);
  $("export-button").addEventListener("click", downloadExport);
  $("threshold").addEventListener("input", onThreshold);
  for (const button of document.querySelectorAll(".lang-switch button")) {
    button.addEventListener("click", () => switchLanguage(button.dataset.lang));
  }
  initDragAndDrop();
  document.addEventListener("paste", onPaste);
  linkLinesAndBoxes($("pages-container"));
  document.documentElement.dataset.ready = "true"; // for tests and scripts: every handler is attached
  loadOptions();
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
  const exports = ((formats && formats.enum) || []).filter((value) => value in EXTENSIONS);
  $("export-format").replaceChildren(...exports.map((value) => choice(`format_${value}`, value)));
  document.documentElement.dataset.options = "true";
}

function choice(key, value) {
  const option = document.createElement("option");
  option.value = value;
  option.dataset.i18n = key;
  option.textContent = translated(key, value);
  return option;
}

function control(spec) {
  const label = document.createElement("label");
  label.className = "field";
  const caption = document.createElement("span");
  caption.dataset.i18n = `opt_${spec.name}`;
  caption.textContent = translated(`opt_${spec.name}`, spec.name);
  let input;
  if (spec.enum) {
    input = document.createElement("select");
    input.append(...spec.enum.map((value) => choice(`opt_${spec.name}_${value}`, value)));
    input.value = spec.default;
  } else {
    input = document.createElement("input");
    input.type = spec.secret ? "password" : spec.type === "number" ? "number" : "text";
    if (spec.type === "number") {
      Object.assign(input, {min: "0", step: "any"});
    }
    input.autocomplete = "off";
    input.spellcheck = false;
    const placeholder = `opt_${spec.name}_placeholder`;
    if (translated(placeholder, "")) {
      input.dataset.i18nPlaceholder = placeholder;
      input.placeholder = translated(placeholder, "");
    }
  }
  input.id = `opt-${spec.name}`;
  input.name = spec.name;
  input.title = spec.description || "";
  input.dataset.option = spec.name;
  input.dataset.default = spec.default === null || spec.default === undefined ? "" : String(spec.default);
  label.append(caption, input);
  return label;
}

function translated(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

// ---- choosing a file -------------------------------------------------------------------

function onFileInput(event) {
  const file = event.target.files && event.target.files[0];
  event.target.value = ""; // so picking the same file again still fires "change"
  if (file) {
    useFile(file);
  }
}

function onPaste(event) {
  const file = fileFromTransfer(event.clipboardData);
  if (file) {
    event.preventDefault();
    useFile(file);
  }
}

function initDragAndDrop() {
  const zone = $("dropzone");
  let leaveTimer = 0;
  // Accept drops anywhere on the page: a near miss must not make the browser open the file.
  window.addEventListener("dragover", (event) => {
    if (!hasFiles(event.dataTransfer)) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragging");
    clearTimeout(leaveTimer);
    leaveTimer = setTimeout(() => zone.classList.remove("dragging"), 150);
  });
  window.addEventListener("drop", (event) => {
    if (!hasFiles(event.dataTransfer)) {
      return;
    }
    event.preventDefault();
    zone.classList.remove("dragging");
    const file = fileFromTransfer(event.dataTransfer);
    if (file) {
      useFile(file);
    }
  });
}

function hasFiles(transfer) {
  return Boolean(transfer) && [...(transfer.types || [])].includes("Files");
}

function fileFromTransfer(transfer) {
  if (!transfer) {
    return null;
  }
  if (transfer.files && transfer.files.length) {
    return transfer.files[0];
  }
  for (const item of transfer.items || []) {
    if (item.kind === "file") {
      return item.getAsFile();
    }
  }
  return null;
}

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
    result.client_time_ms = Math.round(performance.now() - state.startedAt);
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

function requestOptions() {
  const options = {};
  for (const input of document.querySelectorAll("[data-option]")) {
    const value = input.name === "allowed_chars" ? input.value : input.value.trim();
    if (value && value !== input.dataset.default) {
      options[input.dataset.option] = value;
    }
  }
  return options;
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

// ---- progress --------------------------------------------------------------------------

function startProgress() {
  state.startedAt = performance.now();
  state.progress = {phase: "uploading", fraction: 0};
  $("progress").hidden = false;
  $("rerun-button").disabled = true;
  $("results").setAttribute("aria-busy", "true");
  renderProgress();
  clearInterval(state.ticker);
  state.ticker = setInterval(renderProgress, 500);
}

function updateProgress(progress) {
  state.progress = progress;
  renderProgress();
}

function renderProgress() {
  const {phase, fraction} = state.progress || {};
  const bar = $("progress-bar");
  const seconds = Math.floor((performance.now() - state.startedAt) / 1000);
  const percent = Math.round((fraction || 0) * 100);
  if (phase === "uploading" || phase === "storing") {
    bar.value = fraction || 0;
  } else {
    bar.removeAttribute("value"); // indeterminate while the server works
  }
  $("progress-label").textContent = t(phase || "recognizing", {percent, seconds});
}

function stopProgress() {
  clearInterval(state.ticker);
  $("progress").hidden = true;
  $("rerun-button").disabled = false;
  $("results").removeAttribute("aria-busy");
}

// ---- results ---------------------------------------------------------------------------

function showResult() {
  const result = state.result;
  renderResult($("pages-container"), result, {imageUrl: state.imageUrl, threshold: threshold()});
  const pages = result.pages || [];
  $("stat-lines").textContent = String((result.results || []).length);
  $("stat-pages").textContent = String(pages.length || 1);
  $("stat-time").textContent = formatMs(result.total_time_ms);
  $("stat-model").textContent = (result.model && result.model.preset) || "—";
  $("timing-detail").textContent = timingDetail(result);
  showWarnings(result.warnings || []);
  updateLowCount();
  $("results").hidden = false;
}

function showWarnings(warnings) {
  const list = $("warnings");
  list.replaceChildren(
    ...warnings.map((warning) => {
      const item = document.createElement("li");
      item.dataset.code = warning.code;
      item.textContent = warning.page ? `${t("pageHeading", {page: warning.page})}: ${warning.message}` : warning.message;
      return item;
    }),
  );
  list.hidden = !warnings.length;
}

function announceResult(result) {
  const count = (result.results || []).length;
  $("announce").textContent = t("announceDone", {count, time: formatMs(result.total_time_ms)});
}

/** On a phone the results start below the fold: bring them up, unless they are already in view. */
function revealResults() {
  const top = $("results").getBoundingClientRect().top;
  if (top > window.innerHeight * 0.6) {
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    $("results").scrollIntoView({behavior: smooth ? "smooth" : "auto", block: "start"});
  }
}

function timingDetail(result) {
  const stages = Object.entries(result.timings_ms || {}).map(([name, ms]) => `${stageName(name)} ${formatMs(ms)}`);
  if (result.client_time_ms) {
    stages.push(t("roundTrip", {ms: result.client_time_ms}));
  }
  return stages.join(" · ");
}

function stageName(name) {
  const label = t(`stage_${name}`);
  return label === `stage_${name}` ? name : label; // a stage this page has no label for keeps its own name
}

function initThreshold() {
  let saved = NaN;
  try {
    saved = parseFloat(localStorage.getItem(THRESHOLD_KEY));
  } catch {
    // no storage: use the default
  }
  $("threshold").value = String(Number.isFinite(saved) ? saved : DEFAULT_THRESHOLD);
  $("threshold-value").textContent = threshold().toFixed(2);
}

function threshold() {
  return Number($("threshold").value);
}

function onThreshold() {
  $("threshold-value").textContent = threshold().toFixed(2);
  try {
    localStorage.setItem(THRESHOLD_KEY, String(threshold()));
  } catch {
    // not remembered across visits, still applied now
  }
  updateLowCount();
}

function updateLowCount() {
  const low = applyThreshold($("pages-container"), threshold());
  $("low-count").textContent = low ? t("lowCount", {count: low}) : t("lowNone");
  $("low-count").classList.toggle("has-low", low > 0);
}

async function copyAll() {
  if (!state.result) {
    return;
  }
  const text = allText(state.result);
  try {
    await navigator.clipboard.writeText(text);
    toast(t("copied"));
  } catch {
    toast(copyWithSelection(text) ? t("copied") : t("copyFailed"));
  }
}

/** Fallback for pages served over plain HTTP, where the async clipboard API is unavailable. */
function copyWithSelection(text) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

function downloadJson() {
  if (!state.result) {
    return;
  }
  const {client_time_ms: _ignored, ...result} = state.result;
  saveBlob(new Blob([JSON.stringify(result, null, 2)], {type: "application/json"}), "json");
}

/** Text, Markdown, JSON Lines or a searchable PDF: the server builds them from the same file and options. */
async function downloadExport() {
  if (!state.file || !state.result) {
    return;
  }
  const format = $("export-format").value;
  const button = $("export-button");
  button.disabled = true;
  toast(t("exporting"));
  try {
    const blob = await exportFile(state.file, requestOptions(), format, {uploadKey: state.result.uploadKey});
    saveBlob(blob, EXTENSIONS[format] || format);
  } catch (error) {
    showError(error instanceof ApiError ? error : new ApiError("bad_response", {message: String(error)}));
    toast(t("exportFailed"));
  } finally {
    button.disabled = false;
  }
}

function saveBlob(blob, extension) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `${stem(state.file && state.file.name)}.ocr.${extension}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// ---- errors ----------------------------------------------------------------------------

const MESSAGE_BY_CODE = {
  input_too_large: "errTooLarge",
  unsupported_media_type: "errUnsupported",
  invalid_image: "errCorrupt",
  empty_input: "errEmpty",
  invalid_option: "errOption",
  model_not_ready: "errNotReady",
};
const MESSAGE_BY_STATUS = {
  400: "errBadRequest",
  413: "errTooLarge",
  415: "errUnsupported",
  422: "errCorrupt",
  500: "errServer",
  502: "errServer",
  503: "errNotReady",
  504: "errTimeout",
};
const MESSAGE_BY_KIND = {network: "errNetwork", timeout: "errTimeout", bad_response: "errBadResponse"};

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

function errorMessage(error) {
  if (error.kind !== "http") {
    return t(MESSAGE_BY_KIND[error.kind] || "errBadResponse");
  }
  if (error.uploadsOff) {
    return t("errUploadsOff", {limit: formatBytes(syncMaxBytes())});
  }
  const key = MESSAGE_BY_CODE[error.code] || MESSAGE_BY_STATUS[error.status];
  return key ? t(key) : t("errUnknown", {status: error.status});
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
  if (!$("progress").hidden) {
    renderProgress();
  }
}

function syncLanguageButtons() {
  for (const button of document.querySelectorAll(".lang-switch button")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === language()));
  }
}

// ---- small helpers ---------------------------------------------------------------------

let toastTimer = 0;

function toast(message) {
  const node = $("toast");
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    node.hidden = true;
  }, 2500);
}

function isPdf(file) {
  return file.type === "application/pdf" || /\.pdf$/i.test(file.name || "");
}

function stem(name) {
  return String(name || "ocr").replace(/\.[^.]+$/, "") || "ocr";
}

function formatBytes(bytes) {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function formatMs(ms) {
  const value = Number(ms);
  if (!Number.isFinite(value)) {
    return "—";
  }
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

init();
