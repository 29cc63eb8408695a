/* 数据资源调查平台 — 全站共用脚本（释义展开、打印按钮、返回、修改密码的即时核对）。
   内容安全策略只允许本站脚本文件：这里不用内联事件，全部以事件委托绑定。 */
(() => {
  "use strict";

  /** The .definition that belongs to a 释义 button: the next such sibling, else one in the same cell. */
  function definitionFor(button) {
    let node = button.nextElementSibling;
    while (node && !node.classList.contains("definition")) node = node.nextElementSibling;
    if (node) return node;
    const cell = button.closest("th, td, .field-row, .field-name");
    return cell ? cell.querySelector(".definition") : null;
  }

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;

    const toggle = target.closest(".def-toggle");
    if (toggle) {
      event.preventDefault();
      const definition = definitionFor(toggle);
      if (definition) {
        const open = definition.classList.toggle("open");
        toggle.classList.toggle("active", open);
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        toggle.textContent = open ? "收起" : "释义";
      }
      return;
    }

    if (target.closest("#print-button")) {
      event.preventDefault();
      window.print();
      return;
    }

    // 「返回」: back to the page we came from when it is ours; the link's own address otherwise.
    const back = target.closest("a[data-back]");
    if (back && window.history.length > 1 && document.referrer) {
      try {
        if (new URL(document.referrer).origin === window.location.origin) {
          event.preventDefault();
          window.history.back();
        }
      } catch (e) {
        /* follow the link */
      }
    }
  });

  // 修改密码: say at once when the two new passwords differ (the server checks again).
  const passwordForm = document.getElementById("password-form");
  if (passwordForm) {
    const fresh = document.getElementById("new-password");
    const confirm = document.getElementById("confirm-password");
    const mismatch = document.getElementById("password-mismatch");
    const differs = () => fresh && confirm && confirm.value !== "" && fresh.value !== confirm.value;
    const update = () => {
      if (mismatch) mismatch.hidden = !differs();
    };
    if (confirm) confirm.addEventListener("input", update);
    if (fresh) fresh.addEventListener("input", update);
    passwordForm.addEventListener("submit", (event) => {
      if (differs()) {
        event.preventDefault();
        update();
        confirm.focus();
      }
    });
  }
})();
