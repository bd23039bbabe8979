// The option controls, built from GET /options (the server's option table is the only list of
// options the page knows), and the options a request sends: only values that differ from the
// server's defaults.
"use strict";

import {t} from "./i18n.js";

/** A label's text, or `fallback` where i18n has none (a value the server added later). */
export function translated(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

export function choice(key, value) {
  const option = document.createElement("option");
  option.value = value;
  option.dataset.i18n = key;
  option.textContent = translated(key, value);
  return option;
}

export function control(spec) {
  const label = document.createElement("label");
  label.className = "field";
  const caption = document.createElement("span");
  caption.dataset.i18n = `opt_${spec.name}`;
  caption.textContent = translated(`opt_${spec.name}`, spec.name);
  let input;
  if (spec.enum) {
    input = document.createElement("select");
    input.append(...spec.enum.map((value) => choice(`opt_${spec.name}_${value}`, value)));
    input.value = spec.default;
  } else {
    input = document.createElement("input");
    input.type = spec.secret ? "password" : spec.type === "number" ? "number" : "text";
    if (spec.type === "number") {
      Object.assign(input, {min: "0", step: "any"});
    }
    input.autocomplete = "off";
    input.spellcheck = false;
    const placeholder = `opt_${spec.name}_placeholder`;
    if (translated(placeholder, "")) {
      input.dataset.i18nPlaceholder = placeholder;
      input.placeholder = translated(placeholder, "");
    }
  }
  input.id = `opt-${spec.name}`;
  input.name = spec.name;
  input.title = spec.description || "";
  input.dataset.option = spec.name;
  input.dataset.default = spec.default === null || spec.default === undefined ? "" : String(spec.default);
  label.append(caption, input);
  return label;
}

/** Every control's value that differs from its default, by option name. */
export function requestOptions() {
  const options = {};
  for (const input of document.querySelectorAll("[data-option]")) {
    const value = input.name === "allowed_chars" ? input.value : input.value.trim();
    if (value && value !== input.dataset.default) {
      options[input.dataset.option] = value;
    }
  }
  return options;
}
