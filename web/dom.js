// Small DOM helpers shared by the renderers.
"use strict";

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
