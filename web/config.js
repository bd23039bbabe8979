// Where the page finds the OCR API. "" means the same origin (the local server serves both).
// infra/deploy_web.py overwrites this file with the deployed API's URL.
// syncMaxBytes: files above this size go through a presigned S3 upload instead of POST /ocr
// (API Gateway + Lambda refuse request bodies above about 6 MB, and multipart adds overhead);
// the server's own limit (GET /health) applies when it is lower. Optional: pollIntervalMs, how
// often an upload's result is asked for (default 1500).
window.OCR_CONFIG = {apiBase: "", syncMaxBytes: 4500000};
