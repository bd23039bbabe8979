// Small DOM helpers: elements by id, new elements for the renderers, and the toast that confirms
// a quick action.
"use strict";

/** The page's element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element with an optional class and text. */
export function el(tag, className = "", text = "") {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

let toastTimer = 0;

/** Show `message` in the page's toast for a moment (a copy, an export on its way). */
export function toast(message) {
  const node = $("toast");
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    node.hidden = true;
  }, 2500);
}
