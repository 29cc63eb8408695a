/* 数据资源调查平台 — 填报页的数字显示：输入时显示千位分隔符（1,234,567.89），发送和保存的始终是不带分隔符的数。
   纯 ES2017，无第三方库；供 form.js 与 form-sheet.js 共用（window.DRSNumbers）。 */
(() => {
  "use strict";

  // A number as a filer types it: sign, digits (grouped or not), a decimal part. Anything else is left as typed,
  // so the server's own message (「abc」不是数字) still explains it.
  const PLAIN = /^[+-]?\d*(\.\d*)?$/;
  const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

  /** Full-width digits, point, comma and minus (from Chinese input methods and WPS) as ASCII. */
  function halfWidth(text) {
    return String(text)
      .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/[\uFF0E\u3002]/g, ".")
      .replace(/\uFF0C/g, ",")
      .replace(/[\uFF0D\u2212]/g, "-")
      .replace(/\uFF0B/g, "+");
  }

  /** The value to send: grouping commas removed when the text is a grouped number; otherwise the text as typed. */
  function plain(text) {
    const t = String(text === undefined || text === null ? "" : text).trim();
    return GROUPED.test(t) ? t.replace(/,/g, "") : t;
  }

  /** A number with thousands separators in its integer part: 1234567.89 → 1,234,567.89; commas in the
      wrong places (a digit typed into 1,234 gives 1,2345) are regrouped. Anything else is left as it is. */
  function group(text) {
    const t = String(text === undefined || text === null ? "" : text).trim().replace(/,/g, "");
    if (!PLAIN.test(t) || !/\d/.test(t)) return String(text);
    const sign = t[0] === "-" || t[0] === "+" ? t[0] : "";
    const body = sign ? t.slice(1) : t;
    const point = body.indexOf(".");
    const whole = point < 0 ? body : body.slice(0, point);
    const fraction = point < 0 ? "" : body.slice(point);
    return sign + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + fraction;
  }

  /** A value pasted from a spreadsheet, as one would have typed it: half-width, no separators, no quotes. */
  function normalize(text) {
    let t = halfWidth(String(text)).trim();
    if (t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"') t = t.slice(1, -1).trim();
    const compact = t.replace(/[\s\u00A0\u3000]/g, "");
    if (/^[+-]?[\d,]*(\.\d*)?$/.test(compact) && /\d/.test(compact)) return compact.replace(/,/g, "");
    return t;
  }

  /** Significant characters (digits, point, sign) before `index` in `text`. */
  function significantBefore(text, index) {
    let n = 0;
    for (let i = 0; i < index && i < text.length; i++) if (text[i] !== ",") n++;
    return n;
  }

  /** The index in `text` just after its `count`-th significant character. */
  function indexAfter(text, count) {
    if (count <= 0) return 0;
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== ",") n++;
      if (n === count) return i + 1;
    }
    return text.length;
  }

  /** Regroups an input's value in place, keeping the caret after the same digit. */
  function regroup(input) {
    const value = input.value;
    const grouped = group(value);
    if (grouped === value) return;
    const focused = document.activeElement === input;
    const caret = focused && typeof input.selectionStart === "number" ? input.selectionStart : value.length;
    const keep = significantBefore(value, caret);
    input.value = grouped;
    if (focused) {
      const at = indexAfter(grouped, keep);
      try {
        input.setSelectionRange(at, at);
      } catch (e) {
        /* inputs that do not support selection */
      }
    }
  }

  window.DRSNumbers = { halfWidth: halfWidth, plain: plain, group: group, normalize: normalize, regroup: regroup };
})();
