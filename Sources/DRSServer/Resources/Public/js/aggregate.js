/* 汇总页：把勾选的分组与状态合并为 by=、status= 参数后提交。 */
(() => {
  "use strict";
  const form = document.querySelector(".aggregate-page form.filter-bar");
  if (!form) return;
  form.addEventListener("submit", () => {
    const join = (selector) => Array.from(form.querySelectorAll(selector)).filter((b) => b.checked).map((b) => b.value).join(",");
    document.getElementById("by-field").value = join(".by-box");
    document.getElementById("status-field").value = join(".status-box");
  });
})();
