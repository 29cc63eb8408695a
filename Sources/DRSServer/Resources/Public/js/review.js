/* 审核页面：审核通过、退回、核定、重新打开。与接口相同：POST {api}/{action}，带 CSRF 令牌与所审核的版本号。
   另有：指标行筛选（只看有错误/提示、有说明、退回后改动，不重新加载页面），以及
   j / k（或 Alt+→ / Alt+←）转到审核队列中的下一份 / 上一份（在输入框中不生效）。 */
(() => {
  "use strict";
  const page = document.getElementById("review");
  if (!page) return;
  const api = page.dataset.api;
  const version = Number(page.dataset.version);
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const errorBox = document.getElementById("review-error");
  const reasonBox = document.getElementById("review-reason");
  const needsReason = { return: "退回", reopen: "重新打开" };

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  page.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-action]") : null;
    if (!button) return;
    const action = button.dataset.action;
    const reason = reasonBox.value.trim();
    if (needsReason[action] && reason === "") {
      showError(needsReason[action] + "须填写原因。");
      reasonBox.focus();
      return;
    }
    for (const b of page.querySelectorAll("button[data-action]")) b.disabled = true;
    try {
      const response = await fetch(api + "/" + action, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        credentials: "same-origin",
        body: JSON.stringify({ version, reason }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        showError((body.error && body.error.message) || "操作失败（" + response.status + "）");
        for (const b of page.querySelectorAll("button[data-action]")) b.disabled = false;
        return;
      }
      window.location.reload();
    } catch (e) {
      showError("网络错误，操作未完成，请稍后重试。");
      for (const b of page.querySelectorAll("button[data-action]")) b.disabled = false;
    }
  });

  // 指标行筛选：勾选的条件须同时满足（data-failing / data-explained / data-changed）。
  const rows = Array.from(page.querySelectorAll("tr.desk-row"));
  const filters = Array.from(page.querySelectorAll("input.desk-filter"));
  const count = document.getElementById("desk-count");
  const empty = document.getElementById("desk-empty");
  function applyFilters() {
    const wanted = filters.filter((f) => f.checked).map((f) => f.dataset.filter);
    let shown = 0;
    for (const row of rows) {
      const visible = wanted.every((name) => row.dataset[name] === "true");
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    if (count) count.textContent = "显示 " + shown + " / " + rows.length + " 行";
    if (empty) empty.hidden = shown !== 0;
  }
  for (const f of filters) f.addEventListener("change", applyFilters);

  // 上一份 / 下一份：j、k 或 Alt+→、Alt+←；在文本框、下拉框中输入时不触发。
  function typing(target) {
    if (!(target instanceof Element)) return false;
    if (target.closest("textarea, select, [contenteditable=''], [contenteditable='true']")) return true;
    const input = target.closest("input");
    return !!input && !["checkbox", "radio", "button", "submit", "reset"].includes(input.type);
  }
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || typing(event.target)) return;
    let url = null;
    if (!event.altKey && !event.shiftKey && event.key === "j") url = page.dataset.next;
    else if (!event.altKey && !event.shiftKey && event.key === "k") url = page.dataset.prev;
    else if (event.altKey && event.key === "ArrowRight") url = page.dataset.next;
    else if (event.altKey && event.key === "ArrowLeft") url = page.dataset.prev;
    else return;
    event.preventDefault();
    if (url) window.location.assign(url);
  });
})();
