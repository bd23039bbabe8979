// Every way a user hands the page a file: the file picker (its button or a click on the drop
// zone), a drop anywhere on the page, or a paste.
"use strict";

/** Call `onFile(file)` for each file the user picks, drops or pastes. */
export function listenForFiles({input, button, zone}, onFile) {
  button.addEventListener("click", (event) => {
    event.stopPropagation();
    input.click();
  });
  zone.addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    input.value = ""; // so picking the same file again still fires "change"
    if (file) {
      onFile(file);
    }
  });
  document.addEventListener("paste", (event) => {
    const file = fileFromTransfer(event.clipboardData);
    if (file) {
      event.preventDefault();
      onFile(file);
    }
  });
  listenForDrops(zone, onFile);
}

function listenForDrops(zone, onFile) {
  let leaveTimer = 0;
  // Accept drops anywhere on the page: a near miss must not make the browser open the file.
  window.addEventListener("dragover", (event) => {
    if (!hasFiles(event.dataTransfer)) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragging");
    clearTimeout(leaveTimer);
    leaveTimer = setTimeout(() => zone.classList.remove("dragging"), 150);
  });
  window.addEventListener("drop", (event) => {
    if (!hasFiles(event.dataTransfer)) {
      return;
    }
    event.preventDefault();
    zone.classList.remove("dragging");
    const file = fileFromTransfer(event.dataTransfer);
    if (file) {
      onFile(file);
    }
  });
}

function hasFiles(transfer) {
  return Boolean(transfer) && [...(transfer.types || [])].includes("Files");
}

function fileFromTransfer(transfer) {
  if (!transfer) {
    return null;
  }
  if (transfer.files && transfer.files.length) {
    return transfer.files[0];
  }
  for (const item of transfer.items || []) {
    if (item.kind === "file") {
      return item.getAsFile();
    }
  }
  return null;
}
