// Renders an OCR result: one card per page with its preview (boxes over the image, or a
// text layout for PDFs) and its lines; keeps each line and its box highlighted together.
"use strict";

import {el} from "./dom.js";
import {t} from "./i18n.js";
import {tablesSection} from "./tables.js";

const SVG_NS = "http://www.w3.org/2000/svg";

/** Replace the container's content with the result's pages. */
export function renderResult(container, result, {imageUrl, threshold}) {
  container.replaceChildren();
  const lines = (result.results || []).map((line, index) => ({...line, index, page: line.page || 1}));
  const pages = result.pages && result.pages.length ? result.pages : guessPages(lines);
  const tables = (result.tables || []).map((table, index) => [index + 1, table]);
  for (const page of pages) {
    const pageLines = lines.filter((line) => line.page === page.page);
    const pageTables = tables.filter(([, table]) => (table.page || 1) === page.page);
    const url = page === pages[0] && page.page === 1 ? imageUrl : null;
    container.append(pageCard({page, lines: pageLines, tables: pageTables}, url, pages.length > 1));
  }
  applyThreshold(container, threshold);
}

/** Mark lines (and their boxes) under the threshold as low confidence; returns how many. */
export function applyThreshold(container, threshold) {
  let low = 0;
  for (const item of container.querySelectorAll("li.line")) {
    const isLow = Number(item.dataset.confidence) < threshold;
    low += isLow ? 1 : 0;
    item.classList.toggle("low", isLow);
    for (const box of container.querySelectorAll(`.box[data-line="${item.dataset.line}"]`)) {
      box.classList.toggle("low", isLow);
    }
  }
  return low;
}

/** Wire hover and keyboard focus so a line and its box light up together. Call once. */
export function linkLinesAndBoxes(container) {
  container.addEventListener("pointerover", (event) => {
    const cell = event.target.closest("[data-lines]");
    if (cell) {
      setActive(container, cell.dataset.lines.split(" ")); // a table cell: the lines it holds
      return;
    }
    const target = event.target.closest("[data-line]");
    setActive(container, target ? [target.dataset.line] : null, target && target.matches(".box"));
  });
  container.addEventListener("pointerleave", () => setActive(container, null));
  container.addEventListener("focusin", (event) => {
    const item = event.target.closest("li.line");
    if (item) {
      setActive(container, [item.dataset.line]);
    }
  });
  container.addEventListener("focusout", () => setActive(container, null));
  container.addEventListener("click", (event) => {
    const box = event.target.closest(".box[data-line]");
    if (box) {
      container.querySelector(`li.line[data-line="${box.dataset.line}"]`)?.focus();
    }
  });
  container.addEventListener("keydown", (event) => moveFocus(event));
}

/** Text of all lines, pages separated by a blank line. */
export function allText(result) {
  const byPage = new Map();
  for (const line of result.results || []) {
    const page = line.page || 1;
    byPage.set(page, [...(byPage.get(page) || []), line.text]);
  }
  return [...byPage.values()].map((texts) => texts.join("\n")).join("\n\n");
}

function formatConfidence(confidence) {
  return `${(Math.floor(Number(confidence) * 1000) / 10).toFixed(1)}%`;
}

/** One page: its preview and its lines side by side, then its tables as grids. */
function pageCard({page, lines, tables}, imageUrl, showHeading) {
  const card = el("article", "page-card");
  card.dataset.page = page.page;
  const header = el("header", "page-header");
  const heading = el("h3", showHeading ? "" : "visually-hidden", t("pageHeading", {page: page.page}));
  const meta = el("span", "page-meta", t("pageMeta", {width: page.width, height: page.height, count: lines.length}));
  header.append(heading, meta);
  const body = el("div", "page-body");
  body.append(preview(page, lines, imageUrl, tables), lineList(page, lines));
  card.append(header, body);
  const section = tablesSection(page.page, tables);
  if (section) {
    card.append(section);
  }
  return card;
}

function preview(page, lines, imageUrl, tables) {
  const figure = el("figure", "preview");
  const label = t("previewLabel", {page: page.page, count: lines.length});
  if (!imageUrl) {
    figure.append(layoutStage(page, lines, label, tables), el("figcaption", "", t("layoutNote")));
    return figure;
  }
  const stage = el("div", "stage");
  const img = el("img");
  img.alt = label;
  img.src = imageUrl;
  // Browsers cannot show every format the API reads (TIFF): fall back to the text layout.
  img.addEventListener("error", () => figure.replaceChildren(layoutStage(page, lines, label, tables)), {once: true});
  const overlay = boxesSvg(page, lines, "overlay", tables);
  overlay.setAttribute("aria-hidden", "true");
  stage.append(img, overlay);
  figure.append(stage);
  return figure;
}

function layoutStage(page, lines, label, tables) {
  const stage = el("div", "stage layout");
  const svg = boxesSvg(page, lines, "overlay standalone", tables);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  // Width and height give the SVG its aspect ratio; CSS then scales it to the column.
  svg.setAttribute("width", page.width);
  svg.setAttribute("height", page.height);
  const paper = svgEl("rect", {class: "paper", x: 0, y: 0, width: page.width, height: page.height});
  svg.prepend(paper);
  for (const line of lines) {
    svg.append(layoutText(line));
  }
  stage.append(svg);
  return stage;
}

function boxesSvg(page, lines, className, tables = []) {
  const svg = svgEl("svg", {
    class: className,
    viewBox: `0 0 ${page.width} ${page.height}`,
    preserveAspectRatio: className.includes("standalone") ? "xMidYMid meet" : "none",
  });
  for (const [number, table] of tables) {
    svg.append(svgEl("polygon", {class: "table-box", points: pointList(table.box), "data-table": number}));
  }
  for (const line of lines) {
    svg.append(svgEl("polygon", {class: "box", points: pointList(line.box), "data-line": line.index}));
  }
  return svg;
}

function pointList(box) {
  return (box || []).map(([x, y]) => `${x},${y}`).join(" ");
}

function layoutText(line) {
  const xs = line.box.map((p) => p[0]);
  const ys = line.box.map((p) => p[1]);
  const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const height = Math.max(bottom - top, 1);
  const text = svgEl("text", {
    class: "layout-text",
    x: left,
    y: top + height * 0.8,
    "font-size": height * 0.78,
    textLength: Math.max(right - left, 1),
    lengthAdjust: "spacingAndGlyphs",
    "data-line": line.index,
  });
  text.textContent = line.text;
  return text;
}

function lineList(page, lines) {
  const wrap = el("div", "lines-wrap");
  if (!lines.length) {
    wrap.append(el("p", "empty", t("noText")));
    return wrap;
  }
  const list = el("ol", "lines");
  list.setAttribute("aria-label", t("linesLabel", {page: page.page}));
  lines.forEach((line, position) => list.append(lineItem(line, position)));
  wrap.append(list);
  return wrap;
}

function lineItem(line, position) {
  const item = el("li", "line");
  item.dataset.line = line.index;
  item.dataset.confidence = line.confidence;
  item.tabIndex = position === 0 ? 0 : -1; // one tab stop per list; arrow keys move inside
  const confidence = formatConfidence(line.confidence);
  const badge = el("span", "conf", confidence);
  badge.title = t("confidence", {value: confidence});
  item.append(
    el("span", "line-num", String(position + 1)),
    el("span", "line-text", line.text),
    el("span", "low-badge", t("lowBadge")),
    badge,
  );
  return item;
}

/** Light up the lines (list items and boxes) whose indices are `keys`; none when null. */
function setActive(container, keys, fromBox = false) {
  for (const node of container.querySelectorAll(".active")) {
    node.classList.remove("active");
  }
  for (const key of keys || []) {
    const value = CSS.escape(String(key));
    for (const node of container.querySelectorAll(`[data-line="${value}"], [data-lines~="${value}"]`)) {
      node.classList.add("active");
      if (fromBox && node.matches("li.line")) {
        scrollWithin(node);
      }
    }
  }
}

/** Bring a line into view inside its own scrolling list without scrolling the whole page. */
function scrollWithin(item) {
  const list = item.closest(".lines");
  if (!list || list.scrollHeight <= list.clientHeight) {
    return;
  }
  const top = item.offsetTop - list.offsetTop;
  if (top < list.scrollTop) {
    list.scrollTop = top;
  } else if (top + item.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = top + item.offsetHeight - list.clientHeight;
  }
}

function moveFocus(event) {
  const item = event.target.closest("li.line");
  if (!item) {
    return;
  }
  const items = [...item.parentElement.children];
  const index = items.indexOf(item);
  const next = {ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1}[event.key];
  if (next === undefined || !items[next]) {
    return;
  }
  event.preventDefault();
  item.tabIndex = -1;
  items[next].tabIndex = 0;
  items[next].focus();
}

/** Page sizes for an answer without `pages` (older servers): the extent of each page's boxes. */
function guessPages(lines) {
  const numbers = [...new Set(lines.map((line) => line.page))];
  return (numbers.length ? numbers : [1]).map((page) => {
    const points = lines.filter((line) => line.page === page).flatMap((line) => line.box || []);
    const extent = (axis) => Math.max(1, ...points.map((point) => point[axis]));
    return {page, width: extent(0), height: extent(1)};
  });
}

function svgEl(tag, attributes) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, String(value));
  }
  return node;
}
