// « Mes tâches »: refresh the status of queued and running jobs every few seconds, without reloading.
// The table carries data-status-url; each job element carries data-job-id and data-job-active.
(function () {
  "use strict";

  var POLL_INTERVAL_MS = 3000;
  var container = document.querySelector("[data-jobs-table]");
  if (!container) {
    return;
  }
  var statusUrl = container.getAttribute("data-status-url");
  var live = document.getElementById("jobs-live");

  function activeRows() {
    return Array.prototype.slice.call(container.querySelectorAll('[data-job-id][data-job-active="true"]'));
  }

  function setText(row, selector, text) {
    var element = row.querySelector(selector);
    if (element) {
      element.textContent = text;
    }
  }

  function formatDate(iso) {
    if (!iso) {
      return "—";
    }
    var date = new Date(iso);
    return date.toLocaleDateString("fr-FR") + " " + date.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
  }

  function renderResult(row, job) {
    var result = row.querySelector("[data-job-result]");
    if (!result) {
      return;
    }
    result.textContent = "";
    if (job.download_url) {
      var link = document.createElement("a");
      link.href = job.download_url;
      link.setAttribute("download", "");
      link.textContent = "Télécharger (" + job.result_filename + ")";
      result.appendChild(link);
    } else if (job.error_message) {
      var error = document.createElement("p");
      error.className = "job-error";
      error.textContent = job.error_message;
      result.appendChild(error);
      if (job.status === "failed") {
        var detail = document.createElement("a");
        detail.href = row.querySelector("a") ? row.querySelector("a").href : "";
        detail.textContent = "Voir le détail et relancer la tâche nº " + job.id;
        result.appendChild(detail);
      }
    }
  }

  function update(job) {
    var row = container.querySelector('[data-job-id="' + job.id + '"]');
    if (!row) {
      return;
    }
    var previousStatus = row.querySelector("[data-job-status]") ? row.querySelector("[data-job-status]").textContent : "";
    setText(row, "[data-job-status]", job.status_display);
    var progress = row.querySelector("[data-job-progress]");
    if (progress) {
      progress.value = job.progress;
      progress.textContent = job.progress + " %";
    }
    setText(
      row,
      "[data-job-progress-text]",
      job.progress + " %" + (job.is_active && job.progress_message ? " – " + job.progress_message : "")
    );
    setText(row, "[data-job-finished]", formatDate(job.finished_at));
    row.setAttribute("data-job-active", job.is_active ? "true" : "false");
    if (!job.is_active) {
      renderResult(row, job);
    }
    if (live && previousStatus.trim() !== job.status_display) {
      live.textContent = job.kind + " nº " + job.id + " : " + job.status_display.toLowerCase() + ".";
    }
  }

  function poll() {
    var rows = activeRows();
    if (rows.length === 0) {
      return;
    }
    var ids = rows.map(function (row) {
      return row.getAttribute("data-job-id");
    });
    fetch(statusUrl + "?ids=" + encodeURIComponent(ids.join(",")), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        data.jobs.forEach(update);
      })
      .catch(function () {
        // Network hiccup or expired session: try again at the next tick.
      })
      .then(function () {
        if (activeRows().length > 0) {
          window.setTimeout(poll, POLL_INTERVAL_MS);
        }
      });
  }

  if (activeRows().length > 0) {
    window.setTimeout(poll, POLL_INTERVAL_MS);
  }
})();
