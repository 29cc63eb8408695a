/* 集团汇总：POST 汇总接口，成功后刷新页面。 */
(() => {
  "use strict";
  const page = document.getElementById("consolidation");
  const button = document.getElementById("consolidate-button");
  if (!page || !button) return;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const errorBox = document.getElementById("consolidation-error");
  // 总部本部数据: PUT {api}/own with the figures typed, as a draft body ({"01": {"cur": "…"}}).
  const saveOwn = document.getElementById("save-own-button");
  const ownTable = document.getElementById("own-table");
  const ownStatus = document.getElementById("own-status");
  if (saveOwn && ownTable) {
    saveOwn.addEventListener("click", async () => {
      const values = {};
      for (const input of ownTable.querySelectorAll("input.own-cell")) {
        const text = input.value.trim();
        if (text === "") continue;
        const [code, column] = input.dataset.cell.split(":");
        (values[code] = values[code] || {})[column] = text;
      }
      saveOwn.disabled = true;
      try {
        const response = await fetch(page.dataset.api + "/own", {
          method: "PUT",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          credentials: "same-origin",
          body: JSON.stringify({ version: Number(ownTable.dataset.version), values }),
        });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) {
          errorBox.textContent = (body.error && body.error.message) || "保存失败（" + response.status + "）";
          errorBox.hidden = false;
        } else {
          ownTable.dataset.version = String(body.version);
          ownStatus.textContent = "已保存，请重新汇总";
          errorBox.hidden = true;
        }
      } catch (e) {
        errorBox.textContent = "网络错误，未能保存，请稍后重试。";
        errorBox.hidden = false;
      }
      saveOwn.disabled = false;
    });
  }

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
