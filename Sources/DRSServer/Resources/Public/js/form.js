/* 数据资源调查平台 — 填报页脚本：自动保存、本机暂存、实时审核、变化说明、提交。
   纯 ES2017，无第三方库。与 /api/v1/units/<单位>/submissions/<年度>/<表> 交互：
     GET  取得已填数据与审核结果      PUT  保存草稿（带 version，版本冲突返回 409）
     POST …/submit  提交
   每个 PUT/POST 都带 X-CSRF-Token 请求头（取自 <meta name="csrf-token">）。 */
(() => {
  "use strict";

  const root = document.getElementById("form-page");
  if (!root) return;

  // ---------------------------------------------------------------- state

  const api = root.dataset.api || "";
  const kind = root.dataset.kind || "indicators";
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.getAttribute("content") || "" : "";
  const draftKey = "drs-draft:" + api;
  const SAVE_DELAY = 600;
  const RETRY_DELAY = 5000;

  const state = {
    version: parseInt(root.dataset.version, 10) || 0,
    editable: root.dataset.editable === "true",
    dirty: false,          // edits not yet sent
    timer: null,           // debounce timer of the next save
    inFlight: null,        // the running save (a promise of true/false)
    lastSaveOK: true,      // whether the last save was accepted
    stopped: false,        // version conflict or submitted: no more saving
    submitting: false,
    reportsRendered: 0,
    errorCount: 0,
    unexplained: 0,
  };

  // Thousands separators are only shown: what is sent and kept is the plain number (numbers.js).
  const numbers = window.DRSNumbers || { plain: (t) => String(t).trim(), regroup: () => {} };

  const $ = (selector, scope) => (scope || document).querySelector(selector);
  const $$ = (selector, scope) => Array.prototype.slice.call((scope || document).querySelectorAll(selector));

  const saveStatus = $("#save-status");
  const statusName = $("#status-name");
  const submitButton = $("#submit-button");
  const messages = $("#messages");
  const errorsList = $("#errors");
  const warningsList = $("#warnings");
  const summary = $("#report-summary");
  const explainList = $("#explain-list");
  const missingList = $("#missing");
  const notesList = $("#notes");
  const errorLive = $("#error-live");
  const dialog = $("#submit-dialog");

  /** A DOM id from a cell or answer key: 01:cum → cell-01-cum, 02:cur@110000 → cell-02-cur-110000. */
  const domID = (prefix, key) => prefix + String(key).replace(/[^A-Za-z0-9_-]/g, "-");

  // Numeric cells by key ("01:cum", "02:cur@110000").
  const cellInputs = new Map();
  $$("input[data-cell]", root).forEach((input) => {
    cellInputs.set(input.dataset.cell, input);
    if (!input.id) input.id = domID("cell-", input.dataset.cell);
  });

  // Basic-information answers: the first control of each key ("109", "105.regionCode").
  const answerFirst = new Map();
  $$("[data-answer]", root).forEach((el) => {
    const key = el.dataset.answer;
    if (!answerFirst.has(key)) {
      answerFirst.set(key, el);
      if (!el.id) el.id = domID("ans-", key);
    }
  });

  // The 请注明 text of an option, by "key:code".
  const optionTexts = new Map();
  $$("input[data-answer-text]", root).forEach((el) => optionTexts.set(el.dataset.answerText, el));
  const optionText = (key, code) => optionTexts.get(key + ":" + code) || null;

  // ---------------------------------------------------------------- small helpers

  function hhmmss(date) {
    const d = date || new Date();
    const pad = (n) => (n < 10 ? "0" : "") + n;
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  function setSaveStatus(kindName, text) {
    if (!saveStatus) return;
    saveStatus.textContent = text;
    saveStatus.className = "toolbar-item save-status state-" + kindName;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = text;
    return el;
  }

  /** Shows a message box above the form; `key` replaces an earlier box of the same key. */
  function showAlert(kindName, text, options) {
    const opts = options || {};
    if (!messages) return null;
    if (opts.key) {
      const old = messages.querySelector('[data-key="' + opts.key + '"]');
      if (old) old.remove();
    }
    const box = element("div", "alert " + kindName);
    box.setAttribute("role", kindName === "success" || kindName === "info" ? "status" : "alert");
    if (opts.key) box.dataset.key = opts.key;
    box.appendChild(element("p", null, text));
    if (opts.list && opts.list.length) {
      const ul = element("ul");
      opts.list.forEach((line) => ul.appendChild(element("li", null, line)));
      box.appendChild(ul);
    }
    if (opts.buttons && opts.buttons.length) {
      const bar = element("div", "alert-actions");
      opts.buttons.forEach((b) => {
        const button = element("button", "button" + (b.primary ? " primary" : ""), b.label);
        button.type = "button";
        if (b.id) button.id = b.id;
        button.addEventListener("click", b.onClick);
        bar.appendChild(button);
      });
      box.appendChild(bar);
    }
    if (kindName !== "conflict" && kindName !== "draft") {
      const close = element("button", "alert-close", "×");
      close.type = "button";
      close.title = "关闭";
      close.setAttribute("aria-label", "关闭提示");
      close.addEventListener("click", () => box.remove());
      box.appendChild(close);
    }
    messages.appendChild(box);
    return box;
  }

  function removeAlert(key) {
    if (!messages) return;
    const old = messages.querySelector('[data-key="' + key + '"]');
    if (old) old.remove();
  }

  /** JSON with sorted keys, to compare two bodies regardless of key order. */
  function stable(value) {
    if (Array.isArray(value)) return "[" + value.map(stable).join(",") + "]";
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + stable(value[k])).join(",") + "}";
    }
    return JSON.stringify(value === undefined ? null : value);
  }

  function rowName(code) {
    const row = root.querySelector('tr[data-row="' + cssEscape(code) + '"] .row-name');
    return row ? row.textContent.trim() : code;
  }

  function cssEscape(text) {
    if (window.CSS && typeof window.CSS.escape === "function") return window.CSS.escape(text);
    return String(text).replace(/["\\]/g, "\\$&");
  }

  // ---------------------------------------------------------------- collecting the body

  function collectValues() {
    const values = {};
    cellInputs.forEach((input, key) => {
      if (input.hasAttribute("data-na")) return;        // rows this unit does not fill
      const text = numbers.plain(input.value);
      if (!text) return;
      const colon = key.indexOf(":");
      const code = key.slice(0, colon);
      const rest = key.slice(colon + 1);
      const at = rest.indexOf("@");
      const row = values[code] || (values[code] = {});
      if (at < 0) {
        row[rest] = text;
      } else {
        const column = rest.slice(0, at);
        const members = row[column] || (row[column] = {});
        members[rest.slice(at + 1)] = text;
      }
    });
    return values;
  }

  function choiceValue(input) {
    const textInput = optionText(input.dataset.answer, input.value);
    const text = textInput ? textInput.value.trim() : "";
    return text ? { code: input.value, text: text } : input.value;
  }

  function collectAnswers() {
    const answers = {};
    const put = (key, value) => {
      const dot = key.indexOf(".");
      if (dot < 0) {
        answers[key] = value;
        return;
      }
      const top = key.slice(0, dot);
      if (!answers[top] || typeof answers[top] !== "object" || Array.isArray(answers[top])) answers[top] = {};
      answers[top][key.slice(dot + 1)] = value;
    };
    const multiple = new Map();
    $$("input[data-answer]", root).forEach((input) => {
      const key = input.dataset.answer;
      if (input.type === "radio") {
        if (input.checked) put(key, choiceValue(input));
      } else if (input.type === "checkbox") {
        if (!multiple.has(key)) multiple.set(key, []);
        if (input.checked) multiple.get(key).push(choiceValue(input));
      } else {
        const text = input.classList.contains("answer-number") ? numbers.plain(input.value) : input.value.trim();
        if (text) put(key, text);
      }
    });
    multiple.forEach((list, key) => {
      if (list.length) put(key, list);
    });
    return answers;
  }

  function collectExplanations() {
    const explanations = {};
    $$("textarea[data-explain]", root).forEach((area) => {
      if (area.value.trim()) explanations[area.dataset.explain] = area.value;
    });
    return explanations;
  }

  function collectBody() {
    const body = { version: state.version };
    if (kind === "basic") body.answers = collectAnswers();
    else body.values = collectValues();
    body.explanations = collectExplanations();
    return body;
  }

  const content = (body) => stable({ values: body.values || null, answers: body.answers || null, explanations: body.explanations || {} });

  // ---------------------------------------------------------------- the local draft (nothing is lost if the browser closes)

  function writeDraft() {
    try {
      window.localStorage.setItem(draftKey, JSON.stringify(collectBody()));
    } catch (e) {
      /* private mode or full: saving to the server still works */
    }
  }

  function readDraft() {
    try {
      const draft = JSON.parse(window.localStorage.getItem(draftKey) || "null");
      return draft && typeof draft === "object" ? draft : null;
    } catch (e) {
      return null;
    }
  }

  function removeDraft() {
    try {
      window.localStorage.removeItem(draftKey);
    } catch (e) {
      /* ignore */
    }
  }

  function valueAt(values, key) {
    const colon = key.indexOf(":");
    const code = key.slice(0, colon);
    const rest = key.slice(colon + 1);
    const at = rest.indexOf("@");
    const row = values && values[code];
    if (!row || typeof row !== "object") return "";
    const v = at < 0 ? row[rest] : (row[rest.slice(0, at)] || {})[rest.slice(at + 1)];
    return v === undefined || v === null || typeof v === "object" ? "" : String(v);
  }

  function answerAt(answers, key) {
    const dot = key.indexOf(".");
    if (dot < 0) return answers[key];
    const group = answers[key.slice(0, dot)];
    return group && typeof group === "object" && !Array.isArray(group) ? group[key.slice(dot + 1)] : undefined;
  }

  function applyDraft(draft) {
    if (kind === "basic") {
      const answers = draft.answers && typeof draft.answers === "object" ? draft.answers : {};
      $$("input[data-answer]", root).forEach((input) => {
        if (input.hasAttribute("data-office")) return;
        const answer = answerAt(answers, input.dataset.answer);
        if (input.type === "radio" || input.type === "checkbox") {
          const list = Array.isArray(answer) ? answer : answer === undefined || answer === null ? [] : [answer];
          const hit = list.find((x) => (x && typeof x === "object" ? String(x.code) : String(x)) === input.value);
          input.checked = hit !== undefined;
          const textInput = optionText(input.dataset.answer, input.value);
          if (textInput) textInput.value = hit && typeof hit === "object" && hit.text ? String(hit.text) : "";
        } else {
          input.value = answer === undefined || answer === null || typeof answer === "object" ? "" : String(answer);
        }
      });
    } else {
      cellInputs.forEach((input, key) => {
        if (input.hasAttribute("data-na")) return;
        input.value = valueAt(draft.values, key);
        numbers.regroup(input);
      });
    }
    const explanations = draft.explanations && typeof draft.explanations === "object" ? draft.explanations : {};
    $$("textarea[data-explain]", root).forEach((area) => {
      area.value = explanations[area.dataset.explain] || "";
    });
    Object.keys(explanations).forEach((code) => {
      if (!findExplain(code)) createExplain(code, rowName(code), "", explanations[code]);
    });
  }

  function restoreDraft() {
    const draft = readDraft();
    if (!draft) return;
    if (!state.editable) {
      removeDraft();
      return;
    }
    if (content(draft) === content(collectBody())) {
      removeDraft();
      return;
    }
    if (draft.version === state.version) {
      applyDraft(draft);
      showAlert("info", "已恢复您上次在本机未保存的修改，正在保存。", { key: "draft" });
      markDirty();
      flush();
      return;
    }
    // Someone saved this form since the draft was written: let the filer decide.
    showAlert("draft", "本机保存有一份上次未能保存的修改，但此表此后已被修改（版本不同）。恢复将以您本机的数据覆盖当前数据。", {
      key: "draft",
      buttons: [
        {
          label: "恢复本机的修改",
          primary: true,
          onClick: () => {
            removeAlert("draft");
            applyDraft(draft);
            markDirty();
            flush();
          },
        },
        {
          label: "丢弃",
          onClick: () => {
            removeAlert("draft");
            removeDraft();
          },
        },
      ],
    });
  }

  // ---------------------------------------------------------------- marks next to cells

  const marks = { report: new Map(), problems: new Map() };
  let painted = [];

  function boxOf(el) {
    return el.closest(".answer-box");
  }

  function slotOf(el) {
    let next = el.nextElementSibling;
    while (next && !next.classList.contains("cell-msg")) {
      if (next.matches("input, textarea")) break;
      next = next.nextElementSibling;
    }
    if (next && next.classList.contains("cell-msg")) return next;
    const scope = el.closest(".answer-box, td.num, .explain");
    return scope ? scope.querySelector(".cell-msg, .explain-warning") : null;
  }

  function addMark(map, el, severity, text) {
    if (!el) return;
    if (!map.has(el)) map.set(el, []);
    map.get(el).push({ severity: severity, text: text });
  }

  /** Redraws every cell's class and message from the current check report and input problems. */
  function paint() {
    painted.forEach((el) => {
      el.classList.remove("has-error", "has-warning");
      el.removeAttribute("aria-invalid");
      const box = boxOf(el);
      if (box) box.classList.remove("has-error", "has-warning");
      const slot = slotOf(el);
      if (slot && slot.classList.contains("cell-msg")) slot.textContent = "";
    });
    painted = [];
    const all = new Map();
    [marks.problems, marks.report].forEach((map) => {
      map.forEach((list, el) => all.set(el, (all.get(el) || []).concat(list)));
    });
    all.forEach((list, el) => {
      const cls = list.some((m) => m.severity === "error") ? "has-error" : "has-warning";
      el.classList.add(cls);
      const box = boxOf(el);
      if (box) box.classList.add(cls);
      const slot = slotOf(el);
      if (slot && slot.classList.contains("cell-msg")) {
        slot.textContent = "";
        list.forEach((m) => slot.appendChild(element("p", "msg " + m.severity, m.text)));
        // The message belongs to the control: read with it, and announced when it concerns the cell just edited.
        if (!slot.id) slot.id = domID("msg-", el.id || String(painted.length));
        if (el.matches("input, textarea")) el.setAttribute("aria-describedby", slot.id);
      }
      if (cls === "has-error") el.setAttribute("aria-invalid", "true");
      painted.push(el);
    });
    announceEdited(all);
  }

  /** Reads out the messages of the control last edited (once per change of text), through #error-live. */
  function announceEdited(all) {
    if (!errorLive) return;
    const el = state.lastEdited;
    const list = el ? all.get(el) || [] : [];
    const text = list.length ? (el.getAttribute("aria-label") || "") + "：" + list.map((m) => m.text).join("；") : "";
    if (text !== state.announced) {
      state.announced = text;
      errorLive.textContent = text;
    }
  }

  /** The control a violation's cell refers to, or null. */
  function targetFor(cell) {
    if (!cell) return null;
    if (kind === "basic") {
      const key = cell.code;
      if (answerFirst.has(key)) return answerFirst.get(key);
      for (const [k, el] of answerFirst) if (k.indexOf(key + ".") === 0) return el;
      return null;
    }
    const base = cell.code + ":" + cell.column;
    const exact = cellInputs.get(cell.member ? base + "@" + cell.member : base);
    if (exact) return exact;
    for (const [k, el] of cellInputs) if (k.indexOf(base) === 0) return el;
    return null;
  }

  /** The control a 422 problem path refers to: values.01.cur, values.02.cur.110000, answers.105.regionCode, explanations.01. */
  function targetForPath(path) {
    const parts = String(path || "").split(".");
    if (parts[0] === "values" && parts.length >= 3) {
      const key = parts[1] + ":" + parts[2] + (parts.length > 3 ? "@" + parts.slice(3).join(".") : "");
      return cellInputs.get(key) || null;
    }
    if (parts[0] === "answers" && parts.length >= 2) {
      const key = parts.slice(1).join(".");
      if (answerFirst.has(key)) return answerFirst.get(key);
      for (const [k, el] of answerFirst) if (k.indexOf(key + ".") === 0) return el;
      return null;
    }
    if (parts[0] === "explanations" && parts.length >= 2) return findExplain(parts[1]);
    return null;
  }

  function focusControl(el) {
    if (!el) return;
    el.scrollIntoView({ block: "center", inline: "nearest" });
    try {
      el.focus({ preventScroll: true });
    } catch (e) {
      el.focus();
    }
  }

  // ---------------------------------------------------------------- explanations

  function findExplain(code) {
    return root.querySelector('textarea[data-explain="' + cssEscape(code) + '"]');
  }

  function createExplain(code, name, message, text) {
    if (!explainList) return null;
    const box = element("div", "explain");
    box.dataset.code = code;
    box.dataset.auto = "1";
    const label = element("label", "explain-label");
    label.appendChild(element("span", "explain-name", name + "[" + code + "]"));
    label.appendChild(element("span", "explain-warning", message || ""));
    const area = document.createElement("textarea");
    area.dataset.explain = code;
    area.rows = 2;
    area.id = domID("explain-", code);
    area.placeholder = "请说明变化原因，如：新建系统投入使用、统计口径调整等";
    area.value = text || "";
    if (!state.editable || state.stopped) area.readOnly = true;
    label.appendChild(area);
    box.appendChild(label);
    explainList.appendChild(box);
    return area;
  }

  /** Makes sure each warning that needs an explanation has its textarea, labelled with the row and the warning. */
  function syncExplanations(warnings) {
    const needed = new Map();
    warnings.forEach((v) => {
      if (!v.needsExplanation) return;
      const cell = primaryCell(v);
      if (!cell) return;
      const entry = needed.get(cell.code) || { name: cell.name || rowName(cell.code), messages: [], explanation: v.explanation };
      entry.messages.push(v.message);
      needed.set(cell.code, entry);
    });
    $$("textarea[data-explain]", root).forEach((area) => {
      const code = area.dataset.explain;
      const box = area.closest(".explain");
      const note = box ? box.querySelector(".explain-warning") : null;
      if (needed.has(code)) {
        if (box) box.classList.add("needed");
        if (note) note.textContent = needed.get(code).messages.join("；");
      } else {
        if (box) box.classList.remove("needed");
        if (note) note.textContent = "";
        // A box the script added, still empty and no longer asked for: take it away.
        if (box && box.dataset.auto === "1" && !area.value.trim() && document.activeElement !== area) box.remove();
      }
    });
    needed.forEach((entry, code) => {
      if (!findExplain(code)) {
        const area = createExplain(code, entry.name, entry.messages.join("；"), entry.explanation || "");
        if (area) area.closest(".explain").classList.add("needed");
      }
    });
  }

  // ---------------------------------------------------------------- the check report

  function primaryCell(v) {
    const cells = Array.isArray(v.cells) ? v.cells : [];
    return cells.find((c) => !c.lastYear) || cells[0] || null;
  }

  function violationItem(v, severity) {
    const li = element("li", "violation " + severity);
    if (v.ruleId) li.dataset.rule = v.ruleId;
    li.appendChild(element("span", "message", v.message || ""));
    const explained = !!(v.explanation && String(v.explanation).trim());
    if (v.needsExplanation) {
      li.classList.add(explained ? "explained" : "needs-explanation");
      li.appendChild(element("span", "tag", explained ? "已说明" : "须填写变化说明"));
    }
    const el = targetFor(primaryCell(v));
    if (el) {
      const link = element("a", "goto", "定位");
      link.href = "#" + el.id;
      link.title = "跳到对应的单元格";
      link.addEventListener("click", (event) => {
        event.preventDefault();
        focusControl(el);
      });
      li.appendChild(link);
      if (severity !== "note") addMark(marks.report, el, severity, v.message || "");
    }
    return li;
  }

  function renderReport(report) {
    if (!report || typeof report !== "object") return;
    state.reportsRendered += 1;
    const errors = Array.isArray(report.errors) ? report.errors : [];
    const warnings = Array.isArray(report.warnings) ? report.warnings : [];
    marks.report = new Map();
    $$(".is-missing", root).forEach((el) => el.classList.remove("is-missing"));
    if (errorsList) {
      errorsList.textContent = "";
      errors.forEach((v) => errorsList.appendChild(violationItem(v, "error")));
    }
    if (warningsList) {
      warningsList.textContent = "";
      warnings.forEach((v) => warningsList.appendChild(violationItem(v, "warning")));
    }
    syncExplanations(warnings);
    renderMissingAndNotes(report);
    state.lastReport = report;
    state.errorCount = errors.length;
    state.unexplained = warnings.filter((v) => v.needsExplanation && !(v.explanation && String(v.explanation).trim())).length;
    const missingCount = Array.isArray(report.missing) ? report.missing.length : 0;
    if (summary) {
      if (!errors.length && !warnings.length && missingCount) {
        summary.textContent = "没有错误；尚有 " + missingCount + " 个必填单元格未填写（空白不等于 0），填写后方可提交。";
        summary.className = "report-summary has-warnings";
      } else if (!errors.length && !warnings.length) {
        summary.textContent = "审核通过：未发现错误或需要核实的数据。";
        summary.className = "report-summary ok";
      } else {
        let text = errors.length ? "有 " + errors.length + " 个错误，须改正后才能提交" : "没有错误";
        if (warnings.length) {
          text += "；" + warnings.length + " 条提示请核实";
          if (state.unexplained) text += "，其中 " + state.unexplained + " 条须填写变化说明";
        }
        if (missingCount) text += "；尚有 " + missingCount + " 个必填单元格未填写";
        summary.textContent = text + "。";
        summary.className = "report-summary " + (errors.length ? "has-errors" : "has-warnings");
      }
    }
    paint();
    updateSubmitButton();
  }

  /** Required cells left blank (「尚未填写」) and soft notes such as rounding differences: neither is an error here. */
  function renderMissingAndNotes(report) {
    const missing = Array.isArray(report.missing) ? report.missing : [];
    const notes = Array.isArray(report.notes) ? report.notes : [];
    if (missingList) {
      missingList.textContent = "";
      missing.forEach((m) => missingList.appendChild(missingItem(m)));
      const block = $("#missing-block");
      if (block) block.hidden = missing.length === 0;
    }
    if (notesList) {
      notesList.textContent = "";
      notes.forEach((v) => notesList.appendChild(violationItem(v, "note")));
      const block = $("#notes-block");
      if (block) block.hidden = notes.length === 0;
    }
  }

  function missingText(m) {
    return m.message || "尚未填写：" + (m.name || m.code || m.key || "") + (m.columnName ? "（" + m.columnName + "）" : "");
  }

  function missingItem(m) {
    const li = element("li", "violation missing");
    li.appendChild(element("span", "message", missingText(m)));
    const el = m.key ? cellInputs.get(m.key) || targetFor({ code: m.code, column: m.column, member: m.member }) : targetFor(m);
    if (el) {
      const link = element("a", "goto", "定位");
      link.href = "#" + el.id;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        focusControl(el);
      });
      li.appendChild(link);
      el.classList.add("is-missing");
    }
    return li;
  }

  function updateSubmitButton() {
    if (!submitButton) return;
    if (!state.editable || state.stopped) {
      submitButton.hidden = true;
      submitButton.disabled = true;
      return;
    }
    submitButton.hidden = false;
    submitButton.disabled = state.submitting || state.errorCount > 0;
    if (state.errorCount > 0) submitButton.title = "还有错误未改正";
    else if (state.unexplained > 0) submitButton.title = "还有变化较大的指标需要填写说明";
    else submitButton.title = "提交后不能修改，等待审核";
  }

  function makeReadOnly() {
    state.editable = false;
    root.dataset.editable = "false";
    root.classList.add("readonly");
    $$("input, textarea, select", root).forEach((el) => {
      if (el.type === "radio" || el.type === "checkbox") el.disabled = true;
      else el.readOnly = true;
    });
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = null;
    }
    updateSubmitButton();
  }

  // ---------------------------------------------------------------- talking to the server

  function request(method, url, body) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") {
      headers["Content-Type"] = "application/json";
      headers["X-CSRF-Token"] = csrf;
    }
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function readJSON(response) {
    try {
      return await response.json();
    } catch (e) {
      return null;
    }
  }

  function errorOf(data) {
    return (data && data.error) || {};
  }

  function schedule(delay) {
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = null;
      flush();
    }, delay);
  }

  function markDirty() {
    state.dirty = true;
    setSaveStatus("dirty", "有未保存的修改");
    writeDraft();
    schedule(SAVE_DELAY);
  }

  /** One PUT of the whole form. Resolves to true when the server accepted it; never rejects. */
  async function putDraft() {
    const body = collectBody();
    setSaveStatus("saving", "正在保存…");
    let response;
    try {
      response = await request("PUT", api, body);
    } catch (e) {
      state.lastSaveOK = false;
      state.dirty = true;
      setSaveStatus("error", "未保存：网络连接中断，稍后自动重试（已暂存在本机）");
      schedule(RETRY_DELAY);
      return false;
    }
    const data = await readJSON(response);
    const error = errorOf(data);
    marks.problems = new Map();

    if (response.ok && data) {
      state.lastSaveOK = true;
      if (typeof data.version === "number") {
        state.version = data.version;
        root.dataset.version = String(data.version);
      }
      if (state.dirty) writeDraft();   // newer edits are waiting: keep them, under the new version
      else removeDraft();
      removeAlert("save");
      removeAlert("submit");   // the form changed: an earlier refusal to submit no longer holds
      if (statusName && statusName.textContent.trim() === "未填报") {
        statusName.textContent = "草稿";
        statusName.className = "status status-draft";
      }
      if (data.report) renderReport(data.report);
      else paint();
      if (state.dirty) setSaveStatus("dirty", "有未保存的修改");
      else setSaveStatus("saved", "已自动保存 " + hhmmss());
      return true;
    }

    state.lastSaveOK = false;
    if (response.status === 422 && error.code === "invalid_input") {
      const problems = (error.details && Array.isArray(error.details.problems)) ? error.details.problems : [];
      const unplaced = [];
      problems.forEach((p) => {
        const el = targetForPath(p.path);
        if (el) addMark(marks.problems, el, "error", p.message || "输入有误");
        else unplaced.push((p.path ? p.path + "：" : "") + (p.message || ""));
      });
      paint();
      setSaveStatus("error", "未保存：有输入错误");
      if (summary) {
        summary.textContent = "有输入错误，本次修改未保存，也未审核。请先改正标红的单元格。";
        summary.className = "report-summary has-errors";
      }
      if (unplaced.length || !problems.length) showAlert("error", error.message || "输入有误，未保存。", { key: "save", list: unplaced });
      else removeAlert("save");
      return false;
    }
    paint();
    if (response.status === 409) {
      stopSaving();
      if (error.code === "version_conflict") {
        showConflict(error.message, (error.details && error.details.cells) || []);
        setSaveStatus("error", "未保存：此表已被他人修改");
      } else {
        showAlert("conflict", error.message || "此表当前不能修改。", { key: "save" });
        setSaveStatus("error", "未保存：此表当前不能修改");
        makeReadOnly();
      }
      return false;
    }
    if (response.status === 401) {
      setSaveStatus("error", "未保存：登录已过期（修改已暂存在本机）");
      showAlert("error", "登录已过期，请重新登录。您的修改已暂存在本机浏览器，重新登录并打开此表后会自动恢复。", {
        key: "save",
        buttons: [{ label: "重新登录", primary: true, onClick: () => { window.location.href = "/login"; } }],
      });
      return false;
    }
    if (response.status === 403) {
      setSaveStatus("error", "未保存：" + (error.message || "无权修改此表"));
      showAlert("error", (error.message || "无权修改此表") + "（修改已暂存在本机，刷新页面后会自动恢复）", {
        key: "save",
        buttons: [{ label: "刷新页面", primary: true, onClick: () => window.location.reload() }],
      });
      return false;
    }
    if (response.status >= 500 || response.status === 429) {
      state.dirty = true;
      setSaveStatus("error", "未保存：服务器暂时无法保存，稍后自动重试（已暂存在本机）");
      schedule(RETRY_DELAY * 2);
      return false;
    }
    setSaveStatus("error", "未保存：" + (error.message || "保存失败（" + response.status + "）"));
    showAlert("error", error.message || "保存失败（" + response.status + "）", { key: "save" });
    return false;
  }

  function stopSaving() {
    state.stopped = true;
    state.dirty = false;
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = null;
    }
    updateSubmitButton();
  }

  function showConflict(message, cells) {
    const list = (Array.isArray(cells) ? cells : []).map((c) => {
      const name = c.name || c.cell || "";
      const where = c.cell && c.cell !== name ? "（" + c.cell + "）" : "";
      return name + where + "：您的值 " + (c.yours || "空") + "，当前值 " + (c.current || "空");
    });
    showAlert("conflict", message || "此表已被他人修改，您的修改未保存。请核对下列单元格后重新加载。", {
      key: "save",
      list: list,
      buttons: [{ label: "重新加载", id: "reload-button", primary: true, onClick: () => window.location.reload() }],
    });
    const box = messages && messages.querySelector('[data-key="save"]');
    if (box) box.appendChild(element("p", null, "您的修改已暂存在本机，重新加载后可选择恢复。"));
  }

  /** Sends pending edits now and waits until saving is idle. Resolves to whether everything is saved. */
  async function flush() {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = null;
    }
    for (;;) {
      if (state.inFlight) {
        const ok = await state.inFlight;
        if (!ok) {
          if (state.dirty && !state.stopped && !state.timer) schedule(SAVE_DELAY);
          return false;
        }
        continue;
      }
      if (!state.dirty || state.stopped || !state.editable) return state.lastSaveOK && !state.stopped;
      state.dirty = false;
      state.inFlight = putDraft()
        .catch(() => false)
        .then((ok) => {
          state.inFlight = null;
          return ok;
        });
    }
  }

  // ---------------------------------------------------------------- submitting

  function fillList(id, lines) {
    const list = $("#" + id);
    if (!list) return 0;
    list.textContent = "";
    lines.forEach((line) => {
      const li = element("li", null, line.text);
      if (line.detail) li.appendChild(element("span", "dialog-detail", line.detail));
      list.appendChild(li);
    });
    const block = list.closest(".dialog-block");
    if (block) block.hidden = lines.length === 0;
    return lines.length;
  }

  /** 提交 asks first: the edits are saved, then a dialog lists what the check still says (warnings with
      the filer's explanations, required cells left blank, notes); 确认提交 submits, 返回修改 goes back. */
  async function confirmSubmit() {
    if (!state.editable || state.stopped || state.submitting) return;
    if (!dialog || typeof dialog.showModal !== "function") {
      submit();
      return;
    }
    if (state.version === 0) state.dirty = true;
    const saved = await flush();
    if (state.stopped) return;
    if (!saved) {
      showAlert("error", "还有未保存的修改（见标红的单元格），请改正并保存后再提交。", { key: "submit" });
      return;
    }
    if (state.errorCount > 0) return;
    root.classList.add("show-missing");
    const report = state.lastReport || {};
    const warnings = Array.isArray(report.warnings) ? report.warnings : [];
    const missing = Array.isArray(report.missing) ? report.missing : [];
    const notes = Array.isArray(report.notes) ? report.notes : [];
    const explanations = collectExplanations();
    fillList("dialog-missing-list", missing.map((m) => ({ text: missingText(m) })));
    fillList("dialog-warning-list", warnings.map((v) => {
      const cell = primaryCell(v);
      const text = (v.explanation && String(v.explanation).trim()) || (cell && explanations[cell.code]) || "";
      return { text: v.message || "", detail: text ? "说明：" + text : v.needsExplanation ? "尚未填写变化说明" : "" };
    }));
    fillList("dialog-note-list", notes.map((v) => ({ text: v.message || "" })));
    const blocked = $("#dialog-blocked", dialog);
    if (blocked) blocked.hidden = report.blocksSubmission !== true;
    const clean = $("#dialog-clean", dialog);
    if (clean) clean.hidden = warnings.length + missing.length + notes.length > 0;
    dialog.returnValue = "";
    dialog.showModal();
    const confirmButton = $("#confirm-submit", dialog);
    if (confirmButton) confirmButton.focus();
  }

  async function submit() {
    if (!state.editable || state.stopped || state.submitting) return;
    state.submitting = true;
    updateSubmitButton();
    const label = submitButton.textContent;
    submitButton.textContent = "正在提交…";
    removeAlert("submit");
    try {
      if (state.version === 0) state.dirty = true;   // carried-over figures are saved before the first submit
      const saved = await flush();
      if (state.stopped) return;
      if (!saved) {
        showAlert("error", "还有未保存的修改（见标红的单元格），请改正并保存后再提交。", { key: "submit" });
        return;
      }
      let response;
      try {
        response = await request("POST", api + "/submit", { version: state.version });
      } catch (e) {
        showAlert("error", "网络连接中断，未能提交，请稍后重试。", { key: "submit" });
        return;
      }
      const data = await readJSON(response);
      const error = errorOf(data);
      if (response.ok) {
        stopSaving();
        removeDraft();
        if (data && typeof data.version === "number") {
          state.version = data.version;
          root.dataset.version = String(data.version);
        }
        if (statusName) {
          statusName.textContent = (data && data.statusName) || "已提交";
          statusName.className = "status status-" + ((data && data.status) || "submitted");
        }
        makeReadOnly();
        removeAlert("save");
        setSaveStatus("saved", "已提交 " + hhmmss());
        showAlert("success", "已提交，等待审核。提交后不能再修改；如需修改，请联系审核人退回。", { key: "submit" });
        window.scrollTo(0, 0);
        return;
      }
      if (response.status === 422 && error.details && error.details.report) {
        const report = error.details.report;
        const missing = Array.isArray(report.missing) ? report.missing.map(missingText) : [];
        showAlert("error", error.message || "还有错误，不能提交。", { key: "submit", list: missing.slice(0, 20) });
        root.classList.add("show-missing");
        renderReport(report);
        return;
      }
      if (response.status === 409) {
        const buttons = error.code === "version_conflict"
          ? [{ label: "重新加载", id: "reload-button", primary: true, onClick: () => window.location.reload() }]
          : [];
        showAlert("conflict", error.message || "此表已被他人修改，请重新加载后再提交。", { key: "submit", buttons: buttons });
        return;
      }
      showAlert("error", error.message || "提交失败（" + response.status + "）", { key: "submit" });
    } finally {
      state.submitting = false;
      if (submitButton) submitButton.textContent = label;
      updateSubmitButton();
    }
  }

  // ---------------------------------------------------------------- events

  const EDITABLE = "input[data-cell], input[data-answer], input[data-answer-text], textarea[data-explain]";

  function onEdit(event) {
    const target = event.target;
    if (!(target instanceof Element) || !target.matches(EDITABLE)) return;
    if (!state.editable || state.stopped || target.readOnly || target.disabled) return;
    state.lastEdited = target;
    // For text inputs the input event is enough; change only matters for radios and checkboxes.
    if (event.type === "change" && !(target.type === "radio" || target.type === "checkbox")) return;
    // Typing 请注明 text selects its option.
    if (target.matches("input[data-answer-text]") && target.value.trim()) {
      const spec = target.dataset.answerText;
      const colon = spec.lastIndexOf(":");
      const key = spec.slice(0, colon);
      const code = spec.slice(colon + 1);
      $$("input[data-answer]", root).forEach((input) => {
        if (input.dataset.answer === key && input.value === code && !input.checked) input.checked = true;
      });
    }
    markDirty();
  }

  root.addEventListener("input", onEdit);
  root.addEventListener("change", onEdit);

  if (submitButton) {
    submitButton.addEventListener("click", (event) => {
      event.preventDefault();
      confirmSubmit();
    });
  }
  if (dialog) {
    const confirmButton = $("#confirm-submit", dialog);
    const cancelButton = $("#cancel-submit", dialog);
    if (confirmButton) confirmButton.addEventListener("click", () => {
      dialog.close("confirm");
      submit();
    });
    if (cancelButton) cancelButton.addEventListener("click", () => dialog.close("cancel"));
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "confirm" && submitButton && !submitButton.hidden) submitButton.focus();
    });
  }

  // Leaving the page with edits not yet sent: send them (the local draft stays as a safety net).
  window.addEventListener("pagehide", () => {
    if (!state.dirty || state.inFlight || state.stopped || !state.editable) return;
    try {
      fetch(api, {
        method: "PUT",
        keepalive: true,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(collectBody()),
      });
    } catch (e) {
      /* the local draft remains */
    }
  });

  // ---------------------------------------------------------------- start

  if (!state.editable) makeReadOnly();
  else updateSubmitButton();

  restoreDraft();

  if (summary && state.reportsRendered === 0) summary.textContent = "正在审核…";
  request("GET", api)
    .then((response) => (response.ok ? readJSON(response) : null))
    .then((data) => {
      // A save that answered first has the newer report.
      if (data && data.report && state.reportsRendered === 0) renderReport(data.report);
      else if (state.reportsRendered === 0 && summary) summary.textContent = "输入数据后自动审核。";
    })
    .catch(() => {
      if (state.reportsRendered === 0 && summary) summary.textContent = "暂时无法取得审核结果，输入数据后将自动审核。";
    });
})();
