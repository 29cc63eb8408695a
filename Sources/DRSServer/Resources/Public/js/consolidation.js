/* 集团汇总：POST 汇总接口，成功后刷新页面。 */
(() => {
  "use strict";
  const page = document.getElementById("consolidation");
  const button = document.getElementById("consolidate-button");
  if (!page || !button) return;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const errorBox = document.getElementById("consolidation-error");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await fetch(page.dataset.api, { method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        errorBox.textContent = (body.error && body.error.message) || "汇总失败（" + response.status + "）";
        errorBox.hidden = false;
        button.disabled = false;
        return;
      }
      window.location.reload();
    } catch (e) {
      errorBox.textContent = "网络错误，未能汇总，请稍后重试。";
      errorBox.hidden = false;
      button.disabled = false;
    }
  });
})();
