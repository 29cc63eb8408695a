/* 上传填好的 Excel 模板或 CSV：整个文件可用才保存为草稿（页面随即刷新显示新数值与审核结果）；
   否则逐条列出问题（工作表、单元格、原因），什么也不保存。 */
(() => {
  "use strict";
  const input = document.getElementById("upload-file");
  if (!input) return;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const box = document.getElementById("upload-result");
  const list = document.getElementById("upload-problems");

  function show(problems) {
    list.textContent = "";
    for (const p of problems.slice(0, 50)) {
      const li = document.createElement("li");
      li.textContent = p;
      list.appendChild(li);
    }
    if (problems.length > 50) {
      const li = document.createElement("li");
      li.textContent = "……另有 " + (problems.length - 50) + " 处问题";
      list.appendChild(li);
    }
    box.hidden = false;
  }

  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    box.hidden = true;
    const isCSV = file.name.toLowerCase().endsWith(".csv");
    try {
      const response = await fetch(input.dataset.api, {
        method: "POST",
        headers: {
          "Content-Type": isCSV ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "X-CSRF-Token": csrf,
        },
        credentials: "same-origin",
        body: file,
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        window.location.reload();
        return;
      }
      const error = body.error || {};
      const problems = ((error.details && error.details.problems) || []).map((p) => p.text || p.message);
      show(problems.length ? problems : [error.message || "上传失败（" + response.status + "）"]);
    } catch (e) {
      show(["网络错误，文件没有上传，请稍后重试。"]);
    }
    input.value = "";
  });
})();
