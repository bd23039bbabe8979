// Talks to the OCR API: POST /ocr for normal files, presigned S3 upload + polling for big ones.
// XMLHttpRequest rather than fetch because only XHR reports upload progress.
"use strict";

const CONFIG = Object.assign({apiBase: "", syncMaxBytes: 4500000}, window.OCR_CONFIG || {});
const POLL_INTERVAL_MS = 1500;
const POLL_TIMEOUT_MS = 10 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 5 * 60 * 1000;
const UPLOADS_OFF_STATUS = [404, 405, 501];

/** A failed request, described well enough for the page to say what went wrong. */
export class ApiError extends Error {
  constructor(kind, {status = 0, code = "", message = "", requestId = ""} = {}) {
    super(message || kind);
    this.kind = kind; // "http" | "network" | "timeout" | "aborted" | "bad_response"
    this.status = status;
    this.code = code;
    this.detail = message;
    this.requestId = requestId;
  }
}

export function syncMaxBytes() {
  return Number(CONFIG.syncMaxBytes) || 4500000;
}

/** Recognize a file; big files take the presigned-upload path. Resolves to the result JSON. */
export function recognize(file, options, {onProgress, signal}) {
  if (file.size > syncMaxBytes()) {
    return recognizeLarge(file, options, {onProgress, signal});
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

async function recognizeLarge(file, options, {onProgress, signal}) {
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
    // No upload bucket behind this API: say so rather than a bare 404.
    if (error.kind === "http" && UPLOADS_OFF_STATUS.includes(error.status)) {
      error.uploadsOff = true;
    }
    throw error;
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
  const result = await pollResult(resultUrl(upload), signal);
  // Kept off the JSON (not enumerable): exports of a large file name the uploaded object.
  Object.defineProperty(result, "uploadKey", {value: upload.key, enumerable: false});
  return result;
}

/** GET /options: every option of POST /ocr with its type, default and allowed values. */
export function fetchOptions() {
  return send("GET", apiUrl("/options"), null, {});
}

/**
 * The result as a file in another format (text, markdown, jsonl, pdf): POST /ocr again with
 * `format`, sending the file itself or, for a large file already uploaded, its `s3_key`.
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

async function pollResult(url, signal) {
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      return await send("GET", url, null, {signal});
    } catch (error) {
      if (!(error instanceof ApiError && error.kind === "http" && error.status === 404)) {
        throw error;
      }
    }
    await sleep(POLL_INTERVAL_MS, signal);
  }
  throw new ApiError("timeout");
}

/** Where to poll. Built from apiBase rather than the answer's result_url, whose scheme and host
 * reflect what the server saw (a proxy or API Gateway stage can make them differ from ours). */
function resultUrl(upload) {
  return apiUrl(`/results/${encodeURIComponent(upload.id)}`);
}

function apiUrl(path, params = {}) {
  const base = String(CONFIG.apiBase || "").replace(/\/+$/, "");
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && String(value).trim() !== "") {
      query.set(name, String(value).trim());
    }
  }
  const suffix = query.toString() ? `?${query}` : "";
  return `${base}${path}${suffix}`;
}

/**
 * One HTTP request. Resolves to the parsed JSON body on 2xx (or null when `raw`);
 * rejects with an ApiError carrying the API's error code, message and request id otherwise.
 */
function send(method, url, body, {signal, contentType, raw = false, onUpload, onUploaded} = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.timeout = REQUEST_TIMEOUT_MS;
    if (contentType) {
      xhr.setRequestHeader("Content-Type", contentType);
    }
    if (onUpload) {
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) {
          onUpload(event.loaded / event.total);
        }
      });
    }
    if (onUploaded) {
      xhr.upload.addEventListener("load", onUploaded);
    }
    const abort = () => xhr.abort();
    signal?.addEventListener("abort", abort, {once: true});
    const done = (fn, value) => {
      signal?.removeEventListener("abort", abort);
      fn(value);
    };
    xhr.addEventListener("load", () => {
      const ok = xhr.status >= 200 && xhr.status < 300;
      if (ok && raw) {
        done(resolve, null);
        return;
      }
      const json = parseJson(xhr.responseText);
      if (ok && json) {
        done(resolve, json);
      } else if (ok) {
        done(reject, new ApiError("bad_response", {status: xhr.status}));
      } else {
        done(reject, httpError(xhr, json));
      }
    });
    xhr.addEventListener("error", () => done(reject, new ApiError("network")));
    xhr.addEventListener("timeout", () => done(reject, new ApiError("timeout")));
    xhr.addEventListener("abort", () => done(reject, new ApiError("aborted")));
    xhr.send(body);
  });
}

function httpError(xhr, json) {
  const error = (json && typeof json.error === "object" && json.error) || {};
  return new ApiError("http", {
    status: xhr.status,
    code: error.code || (json && typeof json.error === "string" ? json.error : ""),
    message: error.message || (json && json.detail && String(json.detail)) || "",
    requestId: (json && json.request_id) || xhr.getResponseHeader("x-request-id") || "",
  });
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new ApiError("aborted"));
      },
      {once: true},
    );
  });
}
