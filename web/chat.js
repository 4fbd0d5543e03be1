/* The widget's chat: calls POST /api/chat, renders answers with citation cards. Text is always escaped. */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var region = params.get("region") || "";
  var KEY = "pqa-widget:" + region;
  var log = document.getElementById("log");
  var form = document.getElementById("form");
  var input = document.getElementById("q");
  var send = document.getElementById("send");
  var examplesBox = document.getElementById("examples");
  // Third-party iframes may be denied storage: the conversation then lives in memory only.
  var store = null;
  try { store = window.sessionStorage; store.getItem(KEY); } catch (e) { store = null; }
  var history = [];
  try { history = JSON.parse((store && store.getItem(KEY)) || "[]"); } catch (e) { history = []; }

  var EXAMPLES = [
    "我们在西城，委托机构做专利导航花了80万，能补多少？",
    "经开区科技型中小企业房租补贴怎么算？",
    "氢能加氢站建设补贴的标准是什么？",
  ];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // Minimal Markdown on already-escaped text: **bold**, > quotes, line breaks.
  function md(s) {
    var lines = esc(s).split("\n");
    var out = [];
    var quote = [];
    function flush() {
      if (quote.length) { out.push("<blockquote>" + quote.join("<br>") + "</blockquote>"); quote = []; }
    }
    lines.forEach(function (line) {
      var m = line.match(/^&gt;\s?(.*)$/);
      if (m) { quote.push(m[1]); return; }
      flush();
      out.push(line);
    });
    flush();
    return out.join("<br>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
  }
  function el(tag, cls, html) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (html !== undefined) n.innerHTML = html;
    return n;
  }
  function badgeClass(status) {
    return { draft: "badge-draft", summary: "badge-summary", interpretation: "badge-summary", repealed: "badge-bad" }[status] || "badge-ok";
  }
  function renderAnswer(a) {
    var box = el("div", "msg bot");
    // The answer without the steps and quoted clauses (the table and the cards show them), then its warnings.
    var head = a.text.split("**依据条款**")[0];
    var lead = head.split("**计算过程**")[0];
    var assumptions = head.match(/\*\*前提与假设\*\*[^\n]*/);
    var warnings = a.text.split("\n").filter(function (l) { return l.indexOf("⚠️") === 0 || l.indexOf("❓") === 0; });
    box.appendChild(el("div", "text", md(lead.trim())));
    if (a.calculation) {
      var t = el("table", "calc");
      t.appendChild(el("caption", "", "计算过程"));
      a.calculation.steps.forEach(function (s, i) {
        var tr = el("tr", a.calculation.binding_limit && s.indexOf(a.calculation.binding_limit) >= 0 ? "binding" : "");
        tr.appendChild(el("td", "n", String(i + 1)));
        tr.appendChild(el("td", "", esc(s)));
        t.appendChild(tr);
      });
      box.appendChild(t);
    }
    if (assumptions) box.appendChild(el("p", "assume", md(assumptions[0])));
    (a.citations || []).forEach(function (c) {
      var d = el("details", "cite");
      var s = el("summary", "", "《" + esc(c.doc_title) + "》" + esc(c.locator) + ' <span class="badge ' +
        badgeClass(c.status) + '">' + esc(c.status_label) + "</span>");
      d.appendChild(s);
      d.appendChild(el("blockquote", "", esc(c.quote).replace(/\n/g, "<br>")));
      box.appendChild(d);
    });
    warnings.forEach(function (w) {
      if (w.indexOf("⚠️") === 0) box.appendChild(el("p", "warn", esc(w)));
    });
    if (a.follow_up) box.appendChild(el("p", "follow", "❓ " + esc(a.follow_up)));
    return box;
  }
  function renderUser(q) { return el("div", "msg user", esc(q)); }
  function chips(list) {
    examplesBox.innerHTML = "";
    list.forEach(function (q) {
      var b = el("button", "chip");
      b.type = "button";
      b.textContent = q;
      b.addEventListener("click", function () { ask(q); });
      examplesBox.appendChild(b);
    });
  }
  function suggestions(a) {
    if (a.refused || !a.citations || !a.citations.length) return [];
    var c = a.citations[0];
    var out = ["《" + c.doc_title + "》现在还有效吗？"];
    if (!a.calculation && !a.follow_up) out.push("这一条具体能补多少钱？怎么算？");
    return out;
  }
  function save() {
    if (!store) return;
    try { store.setItem(KEY, JSON.stringify(history)); } catch (e) { store = null; }
  }
  function restore() {
    history.forEach(function (m) {
      if (m.role === "user") log.appendChild(renderUser(m.content));
      else if (m.answer) log.appendChild(renderAnswer(m.answer));
    });
    chips(history.length ? [] : EXAMPLES);
    log.scrollTop = log.scrollHeight;
  }
  function ask(q) {
    q = (q || "").trim();
    if (!q) return;
    chips([]);
    log.appendChild(renderUser(q));
    var wait = el("div", "msg bot pending", "正在查找条款…");
    log.appendChild(wait);
    log.scrollTop = log.scrollHeight;
    send.disabled = true;
    var payload = {
      message: q,
      history: history.map(function (m) { return { role: m.role, content: m.content }; }),
      region: region || null,
    };
    fetch("/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        wait.remove();
        if (!res.ok) throw new Error(res.body.detail || "服务暂时不可用");
        history.push({ role: "user", content: q });
        history.push({ role: "assistant", content: res.body.text, answer: res.body });
        save();
        log.appendChild(renderAnswer(res.body));
        chips(suggestions(res.body));
        log.scrollTop = log.scrollHeight;
      })
      .catch(function (e) {
        wait.remove();
        log.appendChild(el("div", "msg bot error", esc("出错了：" + e.message + "，请稍后再试。")));
      })
      .finally(function () { send.disabled = false; input.focus(); });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); var q = input.value; input.value = ""; ask(q); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && window.parent !== window) window.parent.postMessage({ type: "pqa-escape" }, "*");
  });
  // Embedded, the chat is ready for typing once the host page has shown it and handed it focus
  // (pqa-focus): data-ready is set then, never before, so nothing typed is lost to that handoff.
  function ready(on) { document.body.setAttribute("data-ready", on ? "true" : "false"); }
  window.addEventListener("message", function (e) {
    if (e.source !== window.parent || !e.data) return;
    if (e.data.type === "pqa-focus") {
      var active = document.activeElement;
      if (!active || active === document.body) input.focus(); // never take focus from where the user is
      ready(true);
    }
    if (e.data.type === "pqa-hidden") ready(false);
  });
  restore();
  if (window.parent !== window) window.parent.postMessage({ type: "pqa-ready" }, "*");
  else ready(true);
})();
