// What an error means to a person: the API's error codes and statuses, and the page's own failures
// (network, timeout, a bad answer), mapped to the page's messages in the current language.
"use strict";

import {formatBytes} from "./format.js";
import {t} from "./i18n.js";

const MESSAGE_BY_CODE = {
  job_failed: "errJobFailed",
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

export function errorMessage(error) {
  if (error.kind !== "http") {
    return t(MESSAGE_BY_KIND[error.kind] || "errBadResponse");
  }
  if (error.uploadsOff) {
    return t("errUploadsOff", {limit: formatBytes(error.limit)});
  }
  const key = MESSAGE_BY_CODE[error.code] || MESSAGE_BY_STATUS[error.status];
  return key ? t(key) : t("errUnknown", {status: error.status});
}
