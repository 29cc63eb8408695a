/* 数据资源调查平台 — 填报页的电子表格操作：方向键与回车在单元格间移动，从 Excel/WPS 粘贴一块数据，
   输入时的千位分隔符，不适用的单元格清空。纯 ES2017，无第三方库。
   本脚本只改单元格的值并发出 input 事件；保存、审核与提示仍由 form.js 完成（与手工输入完全相同）。 */
(() => {
  "use strict";

  const root = document.getElementById("form-page");
  if (!root) return;
  const numbers = window.DRSNumbers;
  const live = document.getElementById("sheet-live");
  const editable = () => root.dataset.editable === "true";

  const CELL = "input[data-cell]";
  const NUMERIC = "input[data-cell], input.answer-number";

  function announce(text) {
    if (!live) return;
    // The same text twice in a row is still read out: clear, then set on the next frame.
    live.textContent = "";
    window.requestAnimationFrame(() => {
      live.textContent = text;
    });
  }

  // ---------------------------------------------------------------- Tab goes through inputs only

  // 释义 buttons and links inside the tables stay clickable but leave the Tab order to the inputs.
  Array.prototype.forEach.call(root.querySelectorAll("table.sheet a, table.sheet button, .basic-table button"), (el) => {
    el.setAttribute("tabindex", "-1");
  });

  // ---------------------------------------------------------------- the frame under the toolbar

  // The table's frame is as tall as the window below the sticky toolbar, so with the frame in view its
  // column heads are never under the toolbar (set through the CSSOM, which the style policy allows).
  const toolbar = root.querySelector(".form-toolbar");
  function measureToolbar() {
    if (toolbar) document.documentElement.style.setProperty("--sheet-top", toolbar.offsetHeight + "px");
  }
  measureToolbar();
  window.addEventListener("resize", measureToolbar);
  if (toolbar && window.ResizeObserver) new window.ResizeObserver(measureToolbar).observe(toolbar);

  // ---------------------------------------------------------------- the grid of cells

  /** An open cell: an input a filer may type into. */
  function isOpen(input) {
    return !!input && !input.disabled && !input.readOnly;
  }

  /** The rows of a cell's table that hold at least one input, in visual order (across tbody sections). */
  function rowsOf(table) {
    return Array.prototype.filter.call(table.querySelectorAll("tbody tr"), (tr) => tr.querySelector(CELL));
  }

  function columnOf(input) {
    const td = input.closest("td");
    return td && td.parentElement ? Array.prototype.indexOf.call(td.parentElement.children, td) : -1;
  }

  function inputAt(tr, column) {
    const td = tr && tr.children[column];
    return td ? td.querySelector(CELL) : null;
  }

  function focusCell(input) {
    input.focus({ preventScroll: true });
    // The whole frame in view first (its heads below the toolbar), then the cell inside it.
    const wrap = input.closest(".sheet-wrap");
    if (wrap && wrap.scrollHeight > wrap.clientHeight && wrap.clientHeight < window.innerHeight) {
      wrap.scrollIntoView({ block: "nearest" });
    }
    input.scrollIntoView({ block: "nearest", inline: "nearest" });
    input.select();
  }

  /** The next open cell up or down the same column (rows without one are passed over). */
  function vertical(input, step) {
    const table = input.closest("table");
    if (!table) return null;
    const rows = rowsOf(table);
    const column = columnOf(input);
    for (let i = rows.indexOf(input.closest("tr")) + step; i >= 0 && i < rows.length; i += step) {
      const next = inputAt(rows[i], column);
      if (isOpen(next)) return next;
    }
    return null;
  }

  /** The next open cell left or right in the same row. */
  function horizontal(input, step) {
    const tr = input.closest("tr");
    if (!tr) return null;
    const cells = Array.prototype.filter.call(tr.querySelectorAll(CELL), isOpen);
    const i = cells.indexOf(input);
    return i < 0 ? null : cells[i + step] || null;
  }

  /** Left and Right leave the cell only when the caret is at that edge (or the whole text is selected). */
  function atEdge(input, key) {
    const start = input.selectionStart;
    const end = input.selectionEnd;
    if (typeof start !== "number") return true;
    if (start === 0 && end === input.value.length) return true;
    if (start !== end) return false;
    return key === "ArrowLeft" ? start === 0 : end === input.value.length;
  }

  root.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches(CELL)) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    let next = null;
    switch (event.key) {
      case "Enter":
        event.preventDefault();   // Enter never submits anything here
        next = vertical(input, event.shiftKey ? -1 : 1);
        break;
      case "ArrowDown":
        next = vertical(input, 1);
        break;
      case "ArrowUp":
        next = vertical(input, -1);
        break;
      case "ArrowLeft":
      case "ArrowRight":
        if (event.shiftKey || !atEdge(input, event.key)) return;
        next = horizontal(input, event.key === "ArrowLeft" ? -1 : 1);
        break;
      default:
        return;
    }
    if (next) {
      event.preventDefault();
      focusCell(next);
    }
  });

  // ---------------------------------------------------------------- thousands separators while typing

  root.addEventListener("input", (event) => {
    const input = event.target;
    if (!numbers || !(input instanceof HTMLInputElement) || !input.matches(NUMERIC) || event.isComposing) return;
    numbers.regroup(input);
  });
  root.addEventListener("compositionend", (event) => {
    const input = event.target;
    if (numbers && input instanceof HTMLInputElement && input.matches(NUMERIC)) numbers.regroup(input);
  });
  if (numbers) Array.prototype.forEach.call(root.querySelectorAll(NUMERIC), (input) => numbers.regroup(input));

  // ---------------------------------------------------------------- pasting a block from Excel/WPS

  /** Lines of tab-separated values; CRLF, LF or CR; one trailing line break ignored. */
  function parseBlock(text) {
    const lines = String(text).replace(/\r\n?/g, "\n").split("\n");
    while (lines.length && lines[lines.length - 1] === "") lines.pop();
    return lines.map((line) => line.split("\t"));
  }

  /**
   * Lays a block on the grid of open cells from the focused one: line i goes to the i-th row, counting
   * the focused row as the first, that has an open cell at or right of the focused column (section
   * headings, rows that do not apply and rows broken down below are passed over, as they are not in a
   * filer's copy of the figures); value j of the line goes to the j-th open cell of that row counting
   * from the focused column (closed —— cells are passed over). Values with no open cell left are dropped.
   */
  function pasteBlock(start, block) {
    const table = start.closest("table");
    if (!table) return { filled: [], dropped: 0 };
    const column = columnOf(start);
    const rows = rowsOf(table).filter((tr) => openFrom(tr, column).length > 0);
    let r = rows.indexOf(start.closest("tr"));
    const filled = [];
    let dropped = 0;
    block.forEach((values) => {
      const targets = r >= 0 && r < rows.length ? openFrom(rows[r], column) : [];
      values.forEach((value, j) => {
        const input = targets[j];
        if (!input) {
          if (String(value).trim() !== "") dropped += 1;
          return;
        }
        input.value = numbers ? numbers.group(numbers.normalize(value)) : String(value).trim();
        filled.push(input);
      });
      if (r >= 0) r += 1;
    });
    return { filled: filled, dropped: dropped };
  }

  function openFrom(tr, column) {
    return Array.prototype.filter.call(tr.querySelectorAll(CELL), (input) => isOpen(input) && columnOf(input) >= column);
  }

  root.addEventListener("paste", (event) => {
    const start = event.target;
    if (!(start instanceof HTMLInputElement) || !start.matches(CELL) || !isOpen(start) || !editable()) return;
    const data = event.clipboardData || window.clipboardData;
    const text = data ? data.getData("text/plain") || data.getData("text") : "";
    if (!/[\t\r\n]/.test(text.replace(/(\r\n|\n|\r)$/, ""))) {
      // One value: pasted as typed, only cleaned of separators and full-width digits.
      if (!numbers || !text) return;
      event.preventDefault();
      start.value = numbers.group(numbers.normalize(text.replace(/[\r\n]+$/, "")));
      start.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    event.preventDefault();
    const result = pasteBlock(start, parseBlock(text));
    // Each cell as if typed: form.js checks and saves on the input event (one save for the whole block).
    result.filled.forEach((input) => input.dispatchEvent(new Event("input", { bubbles: true })));
    let message = "已粘贴 " + result.filled.length + " 个单元格";
    if (result.dropped) message += "，另有 " + result.dropped + " 个值超出可填写的范围，未粘贴";
    announce(message);
    showNote(message);
    if (result.filled.length) focusCell(result.filled[result.filled.length - 1]);
  });

  /** A short visible note next to the save status (the same text is read out through #sheet-live). */
  function showNote(text) {
    let note = document.getElementById("sheet-note");
    const status = document.getElementById("save-status");
    if (!note && status && status.parentElement) {
      note = document.createElement("span");
      note.id = "sheet-note";
      note.className = "toolbar-item sheet-note";
      status.parentElement.insertBefore(note, status.nextSibling);
    }
    if (note) note.textContent = text;
  }

  // ---------------------------------------------------------------- cells that do not apply

  // Rows that do not apply to this unit (or that skip logic leaves out) keep no figures: a value
  // stored there earlier is cleared and the form saved without it.
  if (editable()) {
    const stale = Array.prototype.filter.call(root.querySelectorAll(CELL + "[data-na]"), (input) => input.value.trim() !== "");
    if (stale.length) {
      stale.forEach((input) => {
        input.value = "";
      });
      const open = root.querySelector(CELL + ":not([disabled])");
      // form.js saves on an input event from an editable cell; the open cell's value is unchanged.
      if (open) open.dispatchEvent(new Event("input", { bubbles: true }));
      announce("已清空不适用的单元格");
      showNote("已清空不适用的单元格（" + stale.length + " 个）");
    }
  }

  window.DRSSheet = { announce: announce, showNote: showNote };
})();
