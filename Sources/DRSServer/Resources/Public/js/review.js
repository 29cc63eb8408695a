/* 审核页面：审核通过、退回、核定、重新打开。与接口相同：POST {api}/{action}，带 CSRF 令牌与所审核的版本号。 */
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
})();
