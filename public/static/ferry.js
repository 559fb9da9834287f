// ferry's pages work without this script; with it, they check file sizes before an upload
// starts and follow a running move without reloading.
"use strict";

// Sizes in the page's own units (decimal, as the server writes them): 262 KB, 1.5 MB.
const size = (bytes) => bytes >= 1e6 ? `${Math.round(bytes / 1e5) / 10} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`;

// A file larger than its field's data-max-bytes is refused before it is sent.
for (const input of document.querySelectorAll("input[type=file][data-max-bytes]")) {
  input.addEventListener("change", () => {
    const max = Number(input.dataset.maxBytes);
    const file = input.files[0];
    const message = file && file.size > max ? `This file is ${size(file.size)}; at most ${size(max)} can be uploaded.` : "";
    input.setCustomValidity(message);
    input.setAttribute("aria-invalid", message ? "true" : "false");
    const error = document.getElementById(`${input.id}-error`);
    if (error) error.textContent = message;
  });
}

// The progress bar of a running move follows the migration until it ends, then the page
// reloads once to show the report.
const bar = document.querySelector("progress[data-progress-url]");
const status = document.querySelector("[data-status]");
if (bar && status && ["queued", "running"].includes(status.dataset.status)) {
  const poll = async () => {
    try {
      const response = await fetch(bar.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const migration = await response.json();
        bar.max = Math.max(migration.progress.total, 1);
        bar.value = migration.progress.done;
        bar.textContent = `${migration.progress.done} of ${migration.progress.total}`;
        status.dataset.status = migration.status;
        status.textContent = migration.status;
        if (migration.status === "done" || migration.status === "failed") {
          location.reload();
          return;
        }
      }
    } catch {
      // The network blinked: the next poll tries again.
    }
    setTimeout(poll, 700);
  };
  setTimeout(poll, 300);
}
