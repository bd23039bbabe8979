// Labels in English and Chinese. The page follows the browser language until the user picks one.
"use strict";

const STORAGE_KEY = "ocr.lang";

const STRINGS = {
  en: {
    pageTitle: "OCR · Chinese and English text recognition",
    title: "Text recognition",
    tagline: "Chinese + English OCR, no GPU needed",
    language: "Language",
    uploadHeading: "Upload",
    dropTitle: "Drop an image or PDF here",
    dropHint: "or paste with Ctrl+V · JPG, PNG, WebP, BMP, TIFF, PDF",
    pick: "Choose file",
    dropzoneLabel: "Choose an image or PDF to recognize",
    opt_mode: "Mode",
    opt_mode_auto: "Auto",
    opt_mode_line: "Single line",
    opt_mode_page: "Whole page",
    opt_model: "Model",
    opt_model_fast: "Fast",
    opt_model_accurate: "Accurate",
    opt_model_crnn: "CRNN (original)",
    opt_pages: "PDF pages",
    opt_pages_placeholder: "all, or 1-3",
    rerun: "Recognize again",
    clear: "Clear",
    cancel: "Cancel",
    retry: "Try again",
    uploading: "Uploading… {percent}%",
    recognizing: "Recognizing… {seconds}s",
    storing: "Uploading to storage… {percent}%",
    waiting: "Waiting for the result… {seconds}s",
    job_queued: "Queued: {total} pages in {chunks} parts… {seconds}s",
    job_running: "Page {done} of {total} read · {seconds}s",
    job_merging: "All {total} pages read; merging them… {seconds}s",
    resultsHeading: "Results",
    announceDone: "{count} lines recognized in {time}",
    announceDone_one: "1 line recognized in {time}",
    statLines: "Lines",
    statPages: "Pages",
    statTime: "Time",
    statModel: "Model",
    roundTrip: "{ms} ms round trip",
    stage_load_models: "model loading",
    stage_decode: "decode",
    stage_detect: "detect",
    stage_crop: "crop",
    stage_classify: "orientation",
    stage_recognize: "recognize",
    threshold: "Low-confidence threshold",
    lowCount: "{count} below threshold",
    lowNone: "none below threshold",
    copyAll: "Copy all text",
    copied: "Copied all text",
    copyFailed: "Could not copy; select the text and copy it by hand",
    downloadJson: "Download JSON",
    exportFormat: "Export format",
    exportDownload: "Download",
    exporting: "Preparing the download…",
    exportFailed: "The download could not be prepared.",
    format_text: "Text (.txt)",
    format_markdown: "Markdown (.md)",
    format_jsonl: "JSON Lines (.jsonl)",
    format_pdf: "Searchable PDF",
    format_html: "HTML (.html)",
    format_csv: "Tables as CSV (.csv)",
    format_xlsx: "Tables as Excel (.xlsx)",
    jobDownloads: "Downloads",
    jobSummary: "Read as a job: {pages} pages in {chunks} parts",
    pagesFailed: "Pages not read: {pages}. Send them again with PDF pages = {pages}.",
    presets: "Preset",
    preset_photo: "Photo",
    preset_photo_hint: "Photos, signs and screenshots: the default options",
    preset_document: "Document",
    preset_document_hint: "Scans and PDFs: whole pages, paragraphs and tables",
    preset_line: "Single line",
    preset_line_hint: "A crop of one text line, read whole",
    moreOptions: "More options",
    opt_layout: "Layout",
    opt_layout_lines: "One line per text line",
    opt_layout_paragraphs: "Paragraphs",
    opt_layout_single_line: "All on one line",
    opt_layout_none: "Unsorted (detector order)",
    opt_lang: "Language hint",
    opt_lang_auto: "Chinese + English",
    opt_lang_zh: "Simplified Chinese (zh)",
    "opt_lang_zh-Hans": "Simplified Chinese (zh-Hans)",
    "opt_lang_zh-Hant": "Traditional Chinese (zh-Hant)",
    opt_lang_en: "English only",
    opt_pdf_text: "PDF text layer",
    opt_pdf_text_auto: "Use it when present",
    opt_pdf_text_ocr: "Always OCR",
    opt_pdf_text_text: "Text layer only",
    opt_password: "PDF password",
    opt_boxes: "Boxes",
    opt_boxes_line: "Lines",
    opt_boxes_word: "Lines and words",
    opt_boxes_char: "Lines, words and characters",
    opt_min_confidence: "Minimum confidence",
    opt_allowed_chars: "Allowed characters",
    opt_allowed_chars_placeholder: "any, or e.g. 0123456789",
    opt_ignore: "Ignore regions",
    opt_ignore_placeholder: "x0,y0,x1,y1; e.g. 0,0,1,0.1",
    opt_tables: "Tables",
    opt_tables_off: "Off",
    opt_tables_on: "Find tables",
    warningsLabel: "Notes",
    pageHeading: "Page {page}",
    pageMeta: "{width} × {height} px · {count} lines",
    pageMeta_one: "{width} × {height} px · 1 line",
    previewLabel: "Page {page} with {count} detected text boxes",
    previewLabel_one: "Page {page} with 1 detected text box",
    layoutNote: "Layout of the recognized lines (the page itself is not rendered)",
    linesLabel: "Recognized lines on page {page}",
    noText: "No text found on this page.",
    tablesLabel: "Tables on page {page}",
    tableHeading: "Table {n}",
    tableMeta: "{rows} rows × {cols} columns",
    downloadXlsx: "Download .xlsx",
    downloadXlsxLabel: "Download table {n} and the other tables as an Excel workbook",
    lowBadge: "low",
    confidence: "Confidence {value}",
    apiDocs: "API docs",
    errTooLarge: "This file is too large.",
    errUnsupported: "This file type is not supported. Use JPG, PNG, WebP, BMP, TIFF or PDF.",
    errCorrupt: "The file could not be read. It may be damaged or incomplete.",
    errEmpty: "The file is empty.",
    errBadRequest: "The request was not accepted.",
    errOption: "One of the options is not valid (check the PDF pages).",
    errNotReady: "The OCR service is starting up or its models are missing. Try again in a moment.",
    errServer: "The OCR service had an internal error.",
    errNetwork: "Cannot reach the OCR service. Check your connection and try again.",
    errTimeout: "The OCR service took too long to answer.",
    errBadResponse: "The OCR service sent an answer this page does not understand.",
    errUploadsOff: "Files over {limit} need large-file uploads, which this server does not offer.",
    errJobFailed: "No page of this document could be read.",
    errUnknown: "Something went wrong (HTTP {status}).",
    errDetail: "Server said: {message}",
    errRequestId: "Request ID {id}",
    fileKept: "Your file is kept; you can try again.",
  },
  zh: {
    pageTitle: "OCR · 中英文文字识别",
    title: "文字识别",
    tagline: "中英文 OCR，无需 GPU",
    language: "语言",
    uploadHeading: "上传",
    dropTitle: "将图片或 PDF 拖到这里",
    dropHint: "或按 Ctrl+V 粘贴 · 支持 JPG、PNG、WebP、BMP、TIFF、PDF",
    pick: "选择文件",
    dropzoneLabel: "选择要识别的图片或 PDF",
    opt_mode: "模式",
    opt_mode_auto: "自动",
    opt_mode_line: "单行",
    opt_mode_page: "整页",
    opt_model: "模型",
    opt_model_fast: "快速",
    opt_model_accurate: "精确",
    opt_model_crnn: "CRNN（原版）",
    opt_pages: "PDF 页码",
    opt_pages_placeholder: "全部，或 1-3",
    rerun: "重新识别",
    clear: "清除",
    cancel: "取消",
    retry: "重试",
    uploading: "正在上传… {percent}%",
    recognizing: "正在识别… {seconds} 秒",
    storing: "正在上传到存储… {percent}%",
    waiting: "正在等待结果… {seconds} 秒",
    job_queued: "排队中：共 {total} 页，分 {chunks} 部分… {seconds} 秒",
    job_running: "已识别 {done} / {total} 页 · {seconds} 秒",
    job_merging: "{total} 页已全部识别，正在合并… {seconds} 秒",
    resultsHeading: "识别结果",
    announceDone: "识别出 {count} 行，耗时 {time}",
    statLines: "行数",
    statPages: "页数",
    statTime: "耗时",
    statModel: "模型",
    roundTrip: "往返 {ms} 毫秒",
    stage_load_models: "加载模型",
    stage_decode: "解码",
    stage_detect: "检测",
    stage_crop: "裁剪",
    stage_classify: "方向",
    stage_recognize: "识别",
    threshold: "低置信度阈值",
    lowCount: "{count} 行低于阈值",
    lowNone: "没有低于阈值的行",
    copyAll: "复制全部文字",
    copied: "已复制全部文字",
    copyFailed: "无法复制，请手动选中文字复制",
    downloadJson: "下载 JSON",
    exportFormat: "导出格式",
    exportDownload: "下载",
    exporting: "正在准备下载…",
    exportFailed: "无法准备下载。",
    format_text: "纯文本 (.txt)",
    format_markdown: "Markdown (.md)",
    format_jsonl: "JSON Lines (.jsonl)",
    format_pdf: "可搜索 PDF",
    format_html: "HTML (.html)",
    format_csv: "表格 CSV (.csv)",
    format_xlsx: "表格 Excel (.xlsx)",
    jobDownloads: "下载",
    jobSummary: "按任务识别：{pages} 页，分 {chunks} 部分",
    pagesFailed: "未能识别的页：{pages}。可在“PDF 页码”中填入 {pages} 重新发送。",
    presets: "预设",
    preset_photo: "照片",
    preset_photo_hint: "照片、招牌和截图：默认选项",
    preset_document: "文档",
    preset_document_hint: "扫描件和 PDF：整页、按段落、识别表格",
    preset_line: "单行",
    preset_line_hint: "只含一行文字的截图，整行识别",
    moreOptions: "更多选项",
    opt_layout: "版面",
    opt_layout_lines: "每行一条",
    opt_layout_paragraphs: "按段落",
    opt_layout_single_line: "合并为一行",
    opt_layout_none: "不排序（检测顺序）",
    opt_lang: "语言提示",
    opt_lang_auto: "中文 + 英文",
    opt_lang_zh: "简体中文 (zh)",
    "opt_lang_zh-Hans": "简体中文 (zh-Hans)",
    "opt_lang_zh-Hant": "繁體中文 (zh-Hant)",
    opt_lang_en: "仅英文",
    opt_pdf_text: "PDF 文字层",
    opt_pdf_text_auto: "有则直接使用",
    opt_pdf_text_ocr: "始终 OCR",
    opt_pdf_text_text: "仅用文字层",
    opt_password: "PDF 密码",
    opt_boxes: "框",
    opt_boxes_line: "行",
    opt_boxes_word: "行和词",
    opt_boxes_char: "行、词和字",
    opt_min_confidence: "最低置信度",
    opt_allowed_chars: "允许的字符",
    opt_allowed_chars_placeholder: "不限，或如 0123456789",
    opt_ignore: "忽略区域",
    opt_ignore_placeholder: "x0,y0,x1,y1；如 0,0,1,0.1",
    opt_tables: "表格",
    opt_tables_off: "关闭",
    opt_tables_on: "识别表格",
    warningsLabel: "提示",
    pageHeading: "第 {page} 页",
    pageMeta: "{width} × {height} 像素 · {count} 行",
    previewLabel: "第 {page} 页，检测到 {count} 个文字框",
    layoutNote: "识别出的文字行的版面（不渲染页面本身）",
    linesLabel: "第 {page} 页识别出的文字行",
    noText: "此页没有识别到文字。",
    tablesLabel: "第 {page} 页的表格",
    tableHeading: "表 {n}",
    tableMeta: "{rows} 行 × {cols} 列",
    downloadXlsx: "下载 .xlsx",
    downloadXlsxLabel: "将表 {n} 及其他表格下载为 Excel 工作簿",
    lowBadge: "低",
    confidence: "置信度 {value}",
    apiDocs: "API 文档",
    errTooLarge: "文件太大。",
    errUnsupported: "不支持此文件类型。请使用 JPG、PNG、WebP、BMP、TIFF 或 PDF。",
    errCorrupt: "无法读取文件，文件可能已损坏或不完整。",
    errEmpty: "文件是空的。",
    errBadRequest: "请求未被接受。",
    errOption: "某个选项无效（请检查 PDF 页码）。",
    errNotReady: "OCR 服务正在启动或缺少模型，请稍后再试。",
    errServer: "OCR 服务内部出错。",
    errNetwork: "无法连接 OCR 服务。请检查网络后重试。",
    errTimeout: "OCR 服务响应超时。",
    errBadResponse: "OCR 服务返回了无法识别的内容。",
    errUploadsOff: "超过 {limit} 的文件需要大文件上传，但此服务器未提供该功能。",
    errJobFailed: "这份文档的所有页面都未能识别。",
    errUnknown: "出错了（HTTP {status}）。",
    errDetail: "服务器信息：{message}",
    errRequestId: "请求 ID {id}",
    fileKept: "文件已保留，可以重试。",
  },
};

export const LANGUAGES = Object.keys(STRINGS);

let current = "en";

/** The language to start with: the user's earlier choice, else the browser's, else English. */
export function initialLanguage() {
  const saved = readSaved();
  if (saved && STRINGS[saved]) {
    return saved;
  }
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = String(tag || "").toLowerCase().split("-")[0];
    if (STRINGS[base]) {
      return base;
    }
  }
  return "en";
}

export function language() {
  return current;
}

/** Switch language, remember the choice and relabel every element marked with data-i18n*. */
export function setLanguage(lang, root = document) {
  current = STRINGS[lang] ? lang : "en";
  try {
    localStorage.setItem(STORAGE_KEY, current);
  } catch {
    // storage can be disabled (private mode); the choice then lasts for this visit only
  }
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  document.title = t("pageTitle");
  translateTree(root);
}

/** Look up a label and fill {placeholders} from vars; a count of 1 picks the `<key>_one` form if any. */
export function t(key, vars = {}) {
  const strings = STRINGS[current];
  const singular = vars.count === 1 && `${key}_one` in strings ? `${key}_one` : key;
  const text = strings[singular] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}

function translateTree(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
  const attributes = {i18nAria: "aria-label", i18nPlaceholder: "placeholder", i18nTitle: "title"};
  for (const [key, attribute] of Object.entries(attributes)) {
    const selector = `[data-${key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}]`;
    for (const el of root.querySelectorAll(selector)) {
      el.setAttribute(attribute, t(el.dataset[key]));
    }
  }
}

function readSaved() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
