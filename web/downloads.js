// Files the page hands the user: exports the server builds (text, Markdown, HTML, JSON Lines,
// searchable PDF, CSV, XLSX) and, for a document read as a job, the exports it stored.
"use strict";

import {jobExportUrl} from "./api.js";

/** The export formats this page offers, with their file extensions (GET /options lists the formats). */
export const EXTENSIONS = {text: "txt", markdown: "md", html: "html", jsonl: "jsonl", pdf: "pdf", csv: "csv", xlsx: "xlsx"};
/** CSV of several tables is a ZIP of one CSV each: the answer's Content-Type says which it is. */
const ZIP_TYPE = "application/zip";

export function extensionFor(format, mediaType) {
  return String(mediaType || "").startsWith(ZIP_TYPE) ? "zip" : EXTENSIONS[format] || format;
}

/** Save a blob as `<name of the file read>.ocr.<extension>`. */
export function saveBlob(blob, fileName, extension) {
  const url = URL.createObjectURL(blob);
  clickLink(url, `${stem(fileName)}.ocr.${extension}`);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The exports a job stored with its result, in the menu's order: [format, URL] pairs. Each URL is
 * GET /results/{id}?format=, which redirects to a fresh link to the stored file, so a click works
 * however long after the job it comes (the links in the result itself expire). */
export function jobExports(result, formats) {
  const stored = result && result.exports;
  if (!stored || typeof stored !== "object" || !result.uploadId) {
    return [];
  }
  return formats.filter((format) => format in stored).map((format) => [format, jobExportUrl(result.uploadId, format)]);
}

/** Links for a job's exports; the server names each file (Content-Disposition). */
export function exportLinks(exports, label) {
  return exports.map(([format, url]) => {
    const link = document.createElement("a");
    link.className = "button";
    link.href = url;
    link.download = "";
    link.dataset.format = format;
    link.dataset.i18n = `format_${format}`;
    link.textContent = label(`format_${format}`, format);
    return link;
  });
}

function clickLink(url, name) {
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

function stem(name) {
  return String(name || "ocr").replace(/\.[^.]+$/, "") || "ocr";
}
