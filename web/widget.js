/* 政策问答助手 helpdesk widget: <script src="http://HOST:PORT/widget.js" data-title="政策助手" data-region="西城区" async></script> */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || window.__policyQaWidget) return;
  window.__policyQaWidget = true;
  var origin = new URL(script.src, location.href).origin;
  var title = script.getAttribute("data-title") || "政策助手";
  var region = script.getAttribute("data-region") || "";
  var position = script.getAttribute("data-position") === "left" ? "left" : "right";

  var style = document.createElement("style");
  style.textContent =
    ".pqa-launcher{position:fixed;bottom:20px;" + position + ":20px;z-index:2147483000;border:0;border-radius:28px;" +
    "padding:12px 18px;background:#1d4ed8;color:#fff;font:600 15px system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif;" +
    "box-shadow:0 6px 20px rgba(0,0,0,.25);cursor:pointer}" +
    ".pqa-launcher:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
    ".pqa-panel{position:fixed;bottom:84px;" + position + ":20px;z-index:2147483001;width:400px;max-width:calc(100vw - 24px);" +
    "height:620px;max-height:calc(100vh - 110px);background:#fff;border-radius:12px;box-shadow:0 12px 40px rgba(0,0,0,.3);" +
    "display:none;flex-direction:column;overflow:hidden}" +
    ".pqa-panel[data-open=true]{display:flex}" +
    ".pqa-bar{display:flex;align-items:center;justify-content:space-between;padding:8px 12px;background:#1d4ed8;color:#fff;" +
    "font:600 15px system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif}" +
    ".pqa-close{background:transparent;border:0;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:2px 8px}" +
    ".pqa-close:focus-visible{outline:3px solid #f59e0b}" +
    ".pqa-frame{flex:1;border:0;width:100%}" +
    "@media (max-width:480px){.pqa-panel{bottom:0;" + position + ":0;width:100vw;max-width:100vw;height:100vh;max-height:100vh;border-radius:0}}";
  document.head.appendChild(style);

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "pqa-launcher";
  launcher.textContent = title;
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.setAttribute("aria-expanded", "false");

  var panel = document.createElement("div");
  panel.className = "pqa-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "true");
  panel.setAttribute("aria-label", title);

  var bar = document.createElement("div");
  bar.className = "pqa-bar";
  var heading = document.createElement("span");
  heading.textContent = title;
  var close = document.createElement("button");
  close.type = "button";
  close.className = "pqa-close";
  close.setAttribute("aria-label", "关闭");
  close.textContent = "×";
  bar.appendChild(heading);
  bar.appendChild(close);

  var frame = document.createElement("iframe");
  frame.className = "pqa-frame";
  frame.title = title;
  var params = new URLSearchParams({ title: title });
  if (region) params.set("region", region);
  frame.src = origin + "/widget?" + params.toString();
  frame.setAttribute("loading", "lazy");

  panel.appendChild(bar);
  panel.appendChild(frame);
  document.body.appendChild(launcher);
  document.body.appendChild(panel);

  // The chat frame says "pqa-ready" once its handlers are bound; from then on the host hands it focus
  // ("pqa-focus") each time the dialog opens, and the frame reports data-ready only after that handoff.
  // The host never moves focus after the frame may be in use: focusing the iframe element from here
  // while its input has focus blurs that input and drops what is being typed.
  var frameReady = false;
  function open() {
    panel.setAttribute("data-open", "true");
    launcher.setAttribute("aria-expanded", "true");
    frame.focus();
    if (frameReady) handoff();
  }
  function handoff() {
    if (document.activeElement !== frame) frame.focus();
    frame.contentWindow.postMessage({ type: "pqa-focus" }, origin);
  }
  function shut() {
    panel.setAttribute("data-open", "false");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
    if (frameReady) frame.contentWindow.postMessage({ type: "pqa-hidden" }, origin);
  }
  launcher.addEventListener("click", function () {
    panel.getAttribute("data-open") === "true" ? shut() : open();
  });
  close.addEventListener("click", shut);
  document.addEventListener("keydown", function (e) {
    if (panel.getAttribute("data-open") !== "true") return;
    if (e.key === "Escape") { e.preventDefault(); shut(); return; }
    if (e.key === "Tab") {
      // Focus stays inside the dialog: the close button and the chat frame.
      var items = [close, frame];
      var i = items.indexOf(document.activeElement);
      e.preventDefault();
      items[(i + (e.shiftKey ? items.length - 1 : 1)) % items.length].focus();
    }
  });
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow || !e.data) return;
    if (e.data.type === "pqa-ready") {
      frameReady = true;
      if (panel.getAttribute("data-open") === "true") handoff();
    }
    if (e.data.type === "pqa-escape") shut();
    if (e.data.type === "pqa-tab-out") close.focus();
  });
})();
