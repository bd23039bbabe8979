// Renders the tables of a result (`tables=on`) as HTML tables: merged cells keep their spans,
// header rows are `th` cells, every cell names the lines it holds so hovering it lights their boxes.
"use strict";

import {el} from "./dom.js";
import {t} from "./i18n.js";

/** The tables of one page, each with its heading and a "Download .xlsx" button; null when none.
 * `tables` are [number, table] pairs: the number is the table's place in the whole result, which
 * is also its sheet ("Table n") in the workbook. */
export function tablesSection(page, tables) {
  if (!tables.length) {
    return null;
  }
  const section = el("section", "tables");
  section.setAttribute("aria-label", t("tablesLabel", {page}));
  for (const [number, table] of tables) {
    section.append(tableFigure(number, table));
  }
  return section;
}

function tableFigure(number, table) {
  const figure = el("figure", "table-card");
  figure.dataset.table = String(number);
  const caption = el("figcaption", "table-head");
  const heading = el("span", "table-title", t("tableHeading", {n: number}));
  const meta = el("span", "table-meta", t("tableMeta", {rows: table.rows, cols: table.cols}));
  const download = el("button", "button small table-xlsx", t("downloadXlsx"));
  download.type = "button";
  download.dataset.table = String(number);
  download.dataset.page = String(table.page || 1);
  download.setAttribute("aria-label", t("downloadXlsxLabel", {n: number}));
  caption.append(heading, meta, el("span", "spacer"), download);
  const wrap = el("div", "table-wrap"); // a wide table scrolls inside its card, not the page
  wrap.append(grid(table, number));
  figure.append(caption, wrap);
  return figure;
}

function grid(table, number) {
  const element = el("table", "grid");
  element.setAttribute("aria-label", t("tableHeading", {n: number}));
  const headerRows = Math.max(0, Math.min(Number(table.header_rows) || 0, table.rows));
  const head = el("thead");
  const body = el("tbody");
  const byRow = new Map();
  for (const cell of table.cells || []) {
    byRow.set(cell.row, [...(byRow.get(cell.row) || []), cell]);
  }
  for (let row = 0; row < table.rows; row += 1) {
    const header = row < headerRows;
    const tr = el("tr");
    const cells = (byRow.get(row) || []).sort((a, b) => a.col - b.col);
    for (const cell of cells) {
      // A span may not cross from the header rows into the body: the two are separate sections.
      const limit = header ? headerRows - row : table.rows - row;
      tr.append(cellElement(cell, header, Math.min(cell.row_span || 1, limit)));
    }
    (header ? head : body).append(tr);
  }
  if (head.children.length) {
    element.append(head);
  }
  element.append(body);
  return element;
}

/** Figures read right-aligned, as printed tables set them. */
const NUMBER = /^[-+]?[\d\s.,:%¥$€£]*\d[\d\s.,:%¥$€£]*$/;

function cellElement(cell, header, rowSpan) {
  const text = cell.text || "";
  const node = el(header ? "th" : "td", !header && NUMBER.test(text) ? "num" : "", text);
  if (header) {
    node.scope = (cell.col_span || 1) > 1 ? "colgroup" : "col";
  }
  if (rowSpan > 1) {
    node.rowSpan = rowSpan;
  }
  if ((cell.col_span || 1) > 1) {
    node.colSpan = cell.col_span;
  }
  node.dataset.row = String(cell.row);
  node.dataset.col = String(cell.col);
  if (cell.lines && cell.lines.length) {
    node.dataset.lines = cell.lines.join(" ");
  }
  return node;
}
