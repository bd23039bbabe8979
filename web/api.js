// Talks to the OCR API: POST /ocr for normal files, presigned S3 upload + polling for big ones.
"use strict";

import {ApiError, CONFIG, apiUrl, parseJson, send, sleep} from "./http.js";

export {ApiError};

/** Longest wait for an upload's result without any news: a job that advances keeps it alive. */
const POLL_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
const POLL_RETRIES = 5;
const UPLOADS_OFF_CODE = "uploads_disabled";
const JOB_STATES = ["queued", "running"];

let health = null;

/** GET /health once: whether this server takes presigned uploads, and its largest POST /ocr body.
 * Resolves to null when the server does not say (the page then finds out by trying). */
export function serverHealth() {
  if (!health) {
    health = send("GET", apiUrl("/health"), null, {}).catch(() => null);
  }
  return health;
}

/** Largest file sent to POST /ocr: the deploy's limit (API Gateway's) or the server's, whichever is lower. */
export async function syncMaxBytes() {
  const configured = Number(CONFIG.syncMaxBytes) || 4500000;
  const served = Number(((await serverHealth()) || {}).max_bytes);
  return served > 0 ? Math.min(configured, served) : configured;
}

/** Recognize a file; big files take the presigned-upload path. Resolves to the result JSON. */
export async function recognize(file, options, {onProgress, signal}) {
  const [limit, info] = await Promise.all([syncMaxBytes(), serverHealth()]);
  if (file.size > limit) {
    if (info && info.uploads === false) {
      throw uploadsOff(limit);
    }
    return recognizeLarge(file, options, {onProgress, signal, limit});
  }
  const {password, ...query} = options;
  const form = new FormData();
  form.append("image", file, file.name || "upload");
  if (password) {
    form.append("password", password); // a form field, not the query: query strings reach access logs
  }
  return send("POST", apiUrl("/ocr", query), form, {
    signal,
    onUpload: (fraction) => onProgress({phase: "uploading", fraction}),
    onUploaded: () => onProgress({phase: "recognizing"}),
  });
}

function uploadsOff(limit, error = new ApiError("http", {status: 501, code: UPLOADS_OFF_CODE})) {
  error.uploadsOff = true;
  error.limit = limit;
  return error;
}

async function recognizeLarge(file, options, {onProgress, signal, limit}) {
  const request = {
    filename: file.name || "upload",
    content_type: file.type || "application/octet-stream",
    size: file.size,
    ...options,
  };
  const upload = await send("POST", apiUrl("/uploads"), JSON.stringify(request), {
    signal,
    contentType: "application/json",
  }).catch((error) => {
    // The server says it has no upload bucket (its /health did not answer before).
    throw error.code === UPLOADS_OFF_CODE ? uploadsOff(limit, error) : error;
  });
  if (!upload || !upload.url || !upload.id) {
    throw new ApiError("bad_response", {message: "the upload answer has no url or id"});
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields || {})) {
    form.append(name, value);
  }
  form.append("file", file, file.name || "upload"); // S3 wants the file after the policy fields
  await send("POST", upload.url, form, {
    signal,
    raw: true,
    onUpload: (fraction) => onProgress({phase: "storing", fraction}),
  });
  onProgress({phase: "waiting"});
  const result = await pollResult(resultUrl(upload.id), {onProgress, signal});
  // Kept off the JSON (not enumerable): exports of a large file name the uploaded object.
  Object.defineProperty(result, "uploadKey", {value: upload.key, enumerable: false});
  Object.defineProperty(result, "uploadId", {value: upload.id, enumerable: false});
  return result;
}

/** Where one of a job's exports downloads from: GET /results/{id}?format= answers 303 to a fresh
 * link, so it works however long after the job the user clicks (the result's own links expire). */
export function jobExportUrl(uploadId, format) {
  return resultUrl(uploadId, {format});
}

/** GET /options: every option of POST /ocr with its type, default and allowed values. */
export function fetchOptions() {
  return send("GET", apiUrl("/options"), null, {});
}

/**
 * The result as a file in another format (text, markdown, html, jsonl, pdf, csv, xlsx): POST /ocr
 * again with `format`, sending the file itself or, for a large file already uploaded, its `s3_key`.
 * Resolves to a Blob; rejects with an ApiError carrying the API's error JSON.
 */
export async function exportFile(file, options, format, {uploadKey, signal} = {}) {
  const {password, ...query} = options;
  const params = {...query, format};
  let body;
  if (uploadKey) {
    body = JSON.stringify(password ? {s3_key: uploadKey, password} : {s3_key: uploadKey});
  } else {
    body = new FormData();
    body.append("image", file, file.name || "upload");
    if (password) {
      body.append("password", password);
    }
  }
  const headers = uploadKey ? {"Content-Type": "application/json"} : {};
  let response;
  try {
    response = await fetch(apiUrl("/ocr", params), {method: "POST", body, headers, signal});
  } catch (error) {
    throw new ApiError(error && error.name === "AbortError" ? "aborted" : "network");
  }
  if (!response.ok) {
    const json = parseJson(await response.text());
    const detail = (json && json.error) || {};
    throw new ApiError("http", {
      status: response.status,
      code: detail.code || "",
      message: detail.message || "",
      requestId: (json && json.request_id) || response.headers.get("x-request-id") || "",
    });
  }
  return response.blob();
}

/**
 * Poll GET /results/{id}: 404 = not there yet, 202 = a job reading the document (its progress goes
 * to onProgress), 200 = the result, any other status = the stored error, which ends the wait.
 * The wait ends after POLL_IDLE_TIMEOUT_MS without news, however long a job that advances takes.
 */
async function pollResult(url, {onProgress, signal}) {
  let deadline = Date.now() + POLL_IDLE_TIMEOUT_MS;
  let last = "";
  let failures = 0;
  while (Date.now() < deadline) {
    let answer = null;
    try {
      answer = await send("GET", url, null, {signal, withStatus: true});
      failures = 0;
    } catch (error) {
      if (!notYet(error) && !(transient(error) && ++failures <= POLL_RETRIES)) {
        throw error;
      }
    }
    if (answer && answer.status !== 202) {
      return answer.body;
    }
    const progress = answer ? jobProgress(answer.body) : null;
    const news = progress ? JSON.stringify(progress) : "";
    if (news && news !== last) {
      last = news;
      deadline = Date.now() + POLL_IDLE_TIMEOUT_MS;
      onProgress(progress);
    }
    await sleep(Number(CONFIG.pollIntervalMs) || 1500, signal);
  }
  throw new ApiError("timeout");
}

/** 404 with result_not_found (or no code: a proxy's): the upload or its trigger is still pending. */
function notYet(error) {
  return (
    error instanceof ApiError &&
    error.kind === "http" &&
    error.status === 404 &&
    (!error.code || error.code === "result_not_found")
  );
}

/** A lost connection or a stalled answer while a job runs for minutes: worth a few more tries. */
function transient(error) {
  return error instanceof ApiError && (error.kind === "network" || error.kind === "timeout");
}

/** A 202's progress as the page shows it; pages_done == pages_total while still 202 is the merge. */
function jobProgress(body) {
  if (!body || !JOB_STATES.includes(body.state)) {
    throw new ApiError("bad_response", {status: 202, message: "a 202 answer without a job state"});
  }
  const count = (value) => Math.max(0, Math.floor(Number(value) || 0));
  const total = count(body.pages_total);
  const done = Math.min(count(body.pages_done), total);
  const merging = total > 0 && done === total;
  return {
    phase: merging ? "job_merging" : `job_${body.state}`,
    fraction: total ? done / total : 0,
    pagesDone: done,
    pagesTotal: total,
    chunksDone: count(body.chunks_done),
    chunksTotal: count(body.chunks_total),
  };
}

/** Where to poll. Built from apiBase rather than the answer's result_url, whose scheme and host
 * reflect what the server saw (a proxy or API Gateway stage can make them differ from ours). */
function resultUrl(uploadId, params = {}) {
  return apiUrl(`/results/${encodeURIComponent(uploadId)}`, params);
}
