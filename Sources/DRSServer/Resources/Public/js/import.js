/* 批量导入页：提交文件后台导入，每秒查询一次进度（份数、速度、剩余时间、每份结果）。 */
(() => {
  "use strict";
  const form = document.getElementById("import-form");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const error = document.getElementById("import-error");
  const progress = document.getElementById("import-progress");
  const bar = document.getElementById("import-bar");
  const text = document.getElementById("import-text");
  const rows = document.getElementById("import-rows");
  const names = { imported: "已导入", unchanged: "未变（跳过）", rejected: "拒绝" };

  function render(job) {
    bar.max = job.total;
    bar.value = job.done;
    text.textContent = `${job.done} / ${job.total}　已导入 ${job.imported}，未变 ${job.unchanged}，拒绝 ${job.rejected}　` +
      `${job.perSecond} 份/秒` + (job.finished ? "　已完成" : `　剩余约 ${job.secondsLeft} 秒`);
    rows.textContent = "";
    for (const r of job.results) {
      const tr = document.createElement("tr");
      for (const v of [r.file, names[r.outcome] || r.outcome, r.unit || "", r.form || "", (r.reasons || []).join("；")]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      }
      if (r.outcome === "rejected") tr.className = "rejected";
      rows.appendChild(tr);
    }
  }

  async function poll(id) {
    const response = await fetch("/api/v1/import/jobs/" + id, { credentials: "same-origin" });
    if (!response.ok) return;
    const job = await response.json();
    render(job);
    if (!job.finished) setTimeout(() => poll(id), 1000);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = document.getElementById("import-files").files;
    if (!files || files.length === 0) {
      error.textContent = "请先选择文件。";
      error.hidden = false;
      return;
    }
    error.hidden = true;
    const data = new FormData();
    for (const f of files) data.append("files[]", f, f.name);
    data.append("status", document.getElementById("import-status").value);
    const response = await fetch("/api/v1/import/jobs", { method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin", body: data });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      error.textContent = (body.error && body.error.message) || "导入未开始（" + response.status + "）";
      error.hidden = false;
      return;
    }
    progress.hidden = false;
    poll(body.job);
  });
})();
