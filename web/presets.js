// Presets: one click sets the option controls for a kind of input (a photo, a document, one line).
// A preset only names values; the controls themselves come from GET /options, so a value the
// server does not offer is skipped and the page never sends an option the server does not know.
"use strict";

import {t} from "./i18n.js";

/** Each preset's values; an option a preset leaves out goes back to the server's default. */
const PRESETS = {
  photo: {},
  document: {mode: "page", layout: "paragraphs", tables: "on"},
  line: {mode: "line"},
};
/** Every option some preset sets: switching presets resets the ones the new preset leaves out. */
const PRESET_OPTIONS = [...new Set(Object.values(PRESETS).flatMap((values) => Object.keys(values)))];

/**
 * Fill `group` with one toggle button per preset, wired to the option controls (`[data-option]`
 * inside `controls`). The pressed button follows the controls: changing one by hand so that it
 * matches no preset leaves none pressed. Hidden when no control a preset sets exists.
 */
export function buildPresets(group, controls) {
  const buttons = Object.keys(PRESETS).map((name) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "preset";
    button.dataset.preset = name;
    button.dataset.i18n = `preset_${name}`;
    button.dataset.i18nTitle = `preset_${name}_hint`;
    button.textContent = t(`preset_${name}`);
    button.title = t(`preset_${name}_hint`);
    button.addEventListener("click", () => {
      applyPreset(controls, name);
      syncPresets(group, controls);
    });
    return button;
  });
  group.querySelector(".preset-buttons").replaceChildren(...buttons);
  controls.addEventListener("change", () => syncPresets(group, controls));
  group.hidden = !PRESET_OPTIONS.some((name) => input(controls, name));
  syncPresets(group, controls);
}

function applyPreset(controls, preset) {
  for (const name of PRESET_OPTIONS) {
    const control = input(controls, name);
    const value = presetValue(control, preset, name);
    if (control && value !== null) {
      control.value = value;
    }
  }
}

function syncPresets(group, controls) {
  for (const button of group.querySelectorAll("[data-preset]")) {
    const preset = button.dataset.preset;
    const matches = PRESET_OPTIONS.every((name) => {
      const control = input(controls, name);
      const value = presetValue(control, preset, name);
      return !control || value === null || control.value === value;
    });
    button.setAttribute("aria-pressed", String(matches));
  }
}

/** The value `preset` gives a control (its default when the preset leaves it out); null when the
 * control does not offer it. */
function presetValue(control, preset, name) {
  if (!control) {
    return null;
  }
  const value = PRESETS[preset][name] ?? control.dataset.default;
  const offered = control.tagName !== "SELECT" || [...control.options].some((option) => option.value === value);
  return offered ? value : null;
}

function input(controls, name) {
  return controls.querySelector(`[data-option="${name}"]`);
}
