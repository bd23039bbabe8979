// The confidence threshold: lines read below it are highlighted, and the page counts them. The
// user's choice is remembered across visits when storage allows.
"use strict";

import {$} from "./dom.js";
import {t} from "./i18n.js";
import {applyThreshold} from "./view.js";

const THRESHOLD_KEY = "ocr.threshold";
const DEFAULT_THRESHOLD = 0.8;

let pagesContainer = null;

/** Restore the saved threshold and follow the slider; `container` holds the rendered pages. */
export function initThreshold(container) {
  pagesContainer = container;
  let saved = NaN;
  try {
    saved = parseFloat(localStorage.getItem(THRESHOLD_KEY));
  } catch {
    // no storage: use the default
  }
  $("threshold").value = String(Number.isFinite(saved) ? saved : DEFAULT_THRESHOLD);
  $("threshold-value").textContent = threshold().toFixed(2);
  $("threshold").addEventListener("input", onThreshold);
}

export function threshold() {
  return Number($("threshold").value);
}

function onThreshold() {
  $("threshold-value").textContent = threshold().toFixed(2);
  try {
    localStorage.setItem(THRESHOLD_KEY, String(threshold()));
  } catch {
    // not remembered across visits, still applied now
  }
  updateLowCount();
}

/** Highlight the lines below the threshold and say how many there are. */
export function updateLowCount() {
  const low = applyThreshold(pagesContainer, threshold());
  $("low-count").textContent = low ? t("lowCount", {count: low}) : t("lowNone");
  $("low-count").classList.toggle("has-low", low > 0);
}
