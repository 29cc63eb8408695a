/* 审核队列：勾选报表后「批量审核通过」（国家数据局：已通过的报表批量核定）。提交前列出将要审核通过的报表（只有可批量通过的：已提交、无错误、
   提示均已说明）及被跳过的报表，确认后以表单 POST /review/bulk-approve（带 CSRF 令牌）；服务器逐份重新审核。
   「只看可批量通过」只在页面上隐藏其余报表，不重新加载。 */
(() => {
  "use strict";
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const button = document.getElementById("bulk-approve-button");
  const selected = document.getElementById("bulk-selected");
  const selectAll = document.getElementById("select-all");
  const cleanOnly = document.getElementById("filter-clean");
  const dialog = document.getElementById("bulk-confirm");
  const boxes = () => Array.from(form.querySelectorAll("input.bulk-select"));
  let confirmed = false;

  function visible(box) { return !box.closest("tr").hidden; }

  function refresh() {
    const chosen = boxes().filter((b) => b.checked);
    const clean = chosen.filter((b) => b.dataset.clean === "true");
    button.disabled = clean.length === 0;
    selected.textContent = chosen.length === 0 ? "未选择报表"
      : "已选择 " + chosen.length + " 份，其中可批量通过 " + clean.length + " 份";
  }

  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target === selectAll) {
      for (const b of boxes()) if (visible(b) && b.dataset.clean === "true") b.checked = selectAll.checked;
    }
    if (target === cleanOnly) {
      for (const row of form.querySelectorAll("tr.queue-row")) row.hidden = cleanOnly.checked && row.dataset.clean !== "true";
      for (const b of boxes()) if (!visible(b)) b.checked = false;
    }
    refresh();
  });

  function fill(listId, items) {
    const list = document.getElementById(listId);
    list.replaceChildren(...items.map((b) => { const li = document.createElement("li"); li.textContent = b.dataset.label; return li; }));
    return list;
  }

  form.addEventListener("submit", (event) => {
    if (confirmed) return;
    event.preventDefault();
    const chosen = boxes().filter((b) => b.checked);
    const clean = chosen.filter((b) => b.dataset.clean === "true");
    const skipped = chosen.filter((b) => b.dataset.clean !== "true");
    if (clean.length === 0) return;
    document.getElementById("bulk-confirm-summary").textContent = "将" + (clean.every((b) => b.dataset.step === "审核通过") ? "审核通过" : "审核通过或核定") + "以下 " + clean.length + " 份报表：";
    fill("bulk-confirm-list", clean);
    const skipText = document.getElementById("bulk-skip-summary");
    const skipList = fill("bulk-skip-list", skipped);
    skipText.textContent = "以下 " + skipped.length + " 份有错误或未说明的提示，不会审核通过：";
    skipText.hidden = skipList.hidden = skipped.length === 0;
    if (typeof dialog.showModal === "function") dialog.showModal(); else dialog.setAttribute("open", "");
    document.getElementById("bulk-confirm-button").focus();
  });

  document.getElementById("bulk-confirm-button").addEventListener("click", () => {
    // Only the clean ones are sent; the server checks each of them again.
    for (const b of boxes()) if (b.checked && b.dataset.clean !== "true") b.checked = false;
    confirmed = true;
    button.disabled = true;
    dialog.close();
    form.submit();
  });
  document.getElementById("bulk-cancel-button").addEventListener("click", () => dialog.close());
  refresh();
})();
