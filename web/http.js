// One HTTP request to the API (or to S3 for an upload), and the error a failed one becomes.
// XMLHttpRequest rather than fetch because only XHR reports upload progress.
"use strict";

export const CONFIG = Object.assign({apiBase: "", syncMaxBytes: 4500000, pollIntervalMs: 1500}, window.OCR_CONFIG || {});
const REQUEST_TIMEOUT_MS = 5 * 60 * 1000;

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

export function apiUrl(path, params = {}) {
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
 * One HTTP request. Resolves to the parsed JSON body on 2xx (or null when `raw`; `{status, body}`
 * with `withStatus`, for answers whose 2xx status means something: 202 is not a result);
 * rejects with an ApiError carrying the API's error code, message and request id otherwise.
 */
export function send(method, url, body, {signal, contentType, raw = false, withStatus = false, onUpload, onUploaded} = {}) {
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
        done(resolve, withStatus ? {status: xhr.status, body: json} : json);
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

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function sleep(ms, signal) {
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
