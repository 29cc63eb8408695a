/* 数据资源调查平台 — 基本情况表（公共1表、企业1表）的跳转逻辑：某题仅在另一题选某项时填写
   （目录中的 condition = {item, equals}）。条件不满足时该题不可填、已填的内容清空并自动保存，旁注说明原因。
   纯 ES2017，无第三方库；保存由 form.js 在 input 事件上完成。 */
(() => {
  "use strict";

  const root = document.getElementById("form-page");
  if (!root || root.dataset.kind !== "basic") return;
  const sheet = () => window.DRSSheet || { announce: () => {}, showNote: () => {} };
  const editable = () => root.dataset.editable === "true";

  const dependents = Array.prototype.slice.call(root.querySelectorAll("[data-cond-item]"));
  if (!dependents.length) return;

  /** The codes chosen for an answer key (radio or checkboxes), or its text. */
  function answerOf(key) {
    const controls = Array.prototype.filter.call(root.querySelectorAll("input[data-answer]"), (el) => el.dataset.answer === key);
    const chosen = [];
    controls.forEach((el) => {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) chosen.push(el.value);
      } else if (el.value.trim()) {
        chosen.push(el.value.trim());
      }
    });
    return chosen;
  }

  /** Clears what a skipped item holds; true when something was there. */
  function clear(scope) {
    let cleared = false;
    scope.querySelectorAll("input[data-answer], input[data-answer-text]").forEach((el) => {
      if (el.hasAttribute("data-office")) return;
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) cleared = true;
        el.checked = false;
      } else {
        if (el.value.trim()) cleared = true;
        el.value = "";
      }
    });
    return cleared;
  }

  function setAsked(scope, asked) {
    scope.classList.toggle("skipped", !asked);
    const note = scope.querySelector(".skip-note");
    if (note) {
      note.hidden = asked;
      if (!asked && !note.id) note.id = "skip-" + (scope.dataset.item || scope.dataset.condItem || "") + "-" + dependents.indexOf(scope);
    }
    scope.querySelectorAll("input[data-answer], input[data-answer-text]").forEach((el) => {
      if (el.hasAttribute("data-office")) return;
      if (!editable()) return;   // a read-only form keeps form.js's read-only state
      el.disabled = !asked;
      if (note && !asked) el.setAttribute("aria-describedby", note.id);
      else if (note && el.getAttribute("aria-describedby") === note.id) el.removeAttribute("aria-describedby");
    });
  }

  /** Applies every condition; clears and saves what no longer applies. */
  function apply(source) {
    let cleared = false;
    dependents.forEach((scope) => {
      const asked = answerOf(scope.dataset.condItem).indexOf(scope.dataset.condEquals) >= 0;
      if (!asked && editable() && clear(scope)) cleared = true;
      setAsked(scope, asked);
    });
    if (!cleared) return;
    const message = "已清空不适用的单元格";
    sheet().announce(message);
    sheet().showNote(message);
    // form.js saves on an input event from an editable control: the one just changed, or any open one.
    const trigger = source || root.querySelector("input[data-answer]:not([disabled]):not([data-office])");
    if (trigger) trigger.dispatchEvent(new Event("input", { bubbles: true }));
  }

  const controlling = new Set(dependents.map((scope) => scope.dataset.condItem));
  root.addEventListener("change", (event) => {
    const el = event.target;
    if (el instanceof HTMLInputElement && el.dataset.answer && controlling.has(el.dataset.answer)) apply(el);
  });
  root.addEventListener("input", (event) => {
    const el = event.target;
    if (el instanceof HTMLInputElement && el.type === "text" && el.dataset.answer && controlling.has(el.dataset.answer)) apply(null);
  });

  apply(null);
})();
