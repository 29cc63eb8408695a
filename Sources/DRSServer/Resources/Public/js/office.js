/* 数据资源调查平台 — 国家数据局工具：催报名单的全选，停用与重置密码前的确认。
   内容安全策略只允许本站脚本文件：不用内联事件，全部以事件委托绑定。 */
(() => {
  "use strict";

  // 停用账户、重置密码: ask first (the form's data-confirm says what will happen).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // 催报: the header check box selects every unit of the list.
  const all = document.getElementById("select-all-owing");
  if (!all) return;
  const boxes = () => Array.from(document.querySelectorAll("input.owing-select"));
  all.addEventListener("change", () => {
    for (const box of boxes()) box.checked = all.checked;
  });
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement) || !target.classList.contains("owing-select")) return;
    const list = boxes();
    all.checked = list.length > 0 && list.every((box) => box.checked);
    all.indeterminate = !all.checked && list.some((box) => box.checked);
  });
})();
