/*! supportbot widget: the support chat as one script tag on any of your pages.
 *
 *   <script src="https://support.example.com/widget.js" data-key="pk_..." async></script>
 *
 * Optional attributes: data-title="Support" (the panel's title), data-position="left".
 * The key is a publishable key made for the page's origin.
 * It speaks English or Chinese: at first the host page's <html lang> (zh…) or else the browser's
 * language; once the customer writes, the language of each reply. Its root and each message
 * carry a lang attribute (en, zh-CN). The widget lives in one open
 * Shadow DOM (the page's CSS cannot reach it); its only global is window.SupportbotWidget.
 * Every text from the server or the customer is put in the page as text nodes, never as HTML.
 */
(() => {
  "use strict";
  if (window.SupportbotWidget) return;
  const script = document.currentScript || document.querySelector('script[src*="widget.js"][data-key]');
  if (!script || !script.src) return;
  const base = new URL(script.src, location.href).origin;
  const key = script.getAttribute("data-key") || "";
  const customTitle = script.getAttribute("data-title");
  const left = script.getAttribute("data-position") === "left";
  const POLL_MS = 2000; // while a person has the conversation; slows to POLL_MAX_MS when quiet
  const POLL_MAX_MS = 30000;
  const NS = "supportbot:" + key + ":";

  // The widget's own words in each language it speaks ({name}: filled in). Replies come in the
  // language the server answered in (its "language" field).
  const TEXTS = {
    en: {
      title: "Support",
      open: "Open support chat",
      openUnread: "Open support chat (new reply)",
      dialog: "Support chat",
      restart: "Start a new conversation",
      close: "Close support chat",
      messages: "Messages",
      input: "Your message",
      placeholder: "Type your question…",
      send: "Send",
      intro: "Hi! Ask about the API, errors, models, pricing or your data. A person from the support team can take over at any time.",
      you: "You",
      assistant: "Assistant",
      team: "Support team",
      sources: "Sources:",
      recommended: "Recommended models:",
      suggested: "Suggested replies",
      helpfulQ: "Was this helpful?",
      helpful: "Helpful",
      notHelpful: "Not helpful",
      thanks: "Thanks for the feedback",
      feedbackFailed: "Feedback could not be sent.",
      typing: "Support is typing",
      unavailable: "Support chat is not available on this page.",
      tooLong: "That message is too long ({why}).",
      failed: "Sorry, something went wrong: {why}",
      waiting: "Waiting for a person",
      waitingTicket: "Waiting for a person · ticket {ticket}",
      backToBot: "The assistant is answering again.",
    },
    zh: {
      title: "在线客服",
      open: "打开在线客服",
      openUnread: "打开在线客服（有新回复）",
      dialog: "在线客服",
      restart: "开始新对话",
      close: "关闭在线客服",
      messages: "消息",
      input: "你的消息",
      placeholder: "输入你的问题…",
      send: "发送",
      intro: "你好！API、报错、模型、定价或数据相关的问题，都可以问我。支持团队的人工客服也可以随时接手。",
      you: "你",
      assistant: "智能助手",
      team: "支持团队",
      sources: "来源：",
      recommended: "推荐模型：",
      suggested: "你可能想问",
      helpfulQ: "这条回答有帮助吗？",
      helpful: "有帮助",
      notHelpful: "没帮助",
      thanks: "感谢你的反馈",
      feedbackFailed: "反馈发送失败。",
      typing: "客服正在输入",
      unavailable: "此页面暂不支持在线客服。",
      tooLong: "这条消息太长了（{why}）。",
      tooLongCount: "这条消息太长了：共 {count} 个字符，上限是 {limit} 个字符。",
      failed: "抱歉，出了点问题：{why}",
      waiting: "正在等待人工客服",
      waitingTicket: "正在等待人工客服 · 工单 {ticket}",
      backToBot: "现在由智能助手继续为你解答。",
    },
  };
  const HTML_LANG = { en: "en", zh: "zh-CN" };
  function known(code) {
    return /^zh/i.test(String(code || "")) ? "zh" : "en";
  }
  // Until the customer writes: the host page's language, else the browser's.
  let lang = known(document.documentElement.getAttribute("lang") || navigator.language);
  function t(name, fields, language) {
    const words = TEXTS[language || lang];
    const text = name in words ? words[name] : TEXTS.en[name];
    return text.replace(/\{(\w+)\}/g, (m, field) => (fields && field in fields ? String(fields[field]) : m));
  }
  // The language a message of the customer is written in, as far as its script tells.
  function guess(text, fallback) {
    if (/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(text)) return "zh";
    return /[A-Za-z]{2,}/.test(text) ? "en" : fallback || lang;
  }

  const CSS = `
:host{all:initial!important}
*{box-sizing:border-box}
[hidden]{display:none!important}
.root{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;text-align:left;letter-spacing:normal}
button,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer;display:inline-flex;align-items:center;justify-content:center;gap:4px}
button:disabled{cursor:default;opacity:.55}
:focus-visible{outline:3px solid #8fb0ff;outline-offset:2px}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;background:#2557d6;color:#fff;box-shadow:0 6px 20px rgba(0,0,0,.25)}
.launcher:hover{background:#1c46b3}
.dot{position:absolute;top:4px;right:4px;width:14px;height:14px;border-radius:50%;background:#e5484d;border:2px solid #fff}
.panel{position:fixed;bottom:88px;right:20px;z-index:2147483000;width:360px;max-height:70vh;height:560px;display:flex;flex-direction:column;background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.22);border:1px solid #d0d7de;animation:rise .18s ease-out}
.left .launcher{right:auto;left:20px}.left .panel{right:auto;left:20px}
@keyframes rise{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}
header{display:flex;align-items:center;gap:4px;padding:10px 10px 10px 16px;background:#2557d6;color:#fff}
h2{flex:1;margin:0;font-size:16px;font-weight:600;color:#fff}
header button{width:32px;height:32px;border:0;border-radius:8px;background:transparent;color:#fff}
header button:hover{background:rgba(255,255,255,.18)}
.status{padding:8px 16px;background:#fff7e6;color:#7a4b00;border-bottom:1px solid #f0d9a8;font-size:13px}
.log{flex:1;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:10px;background:#f7f8fa}
.msg{max-width:88%;padding:8px 12px;border-radius:12px;overflow-wrap:anywhere;background:#fff;border:1px solid #e3e6ea}
.msg p,.msg ul,.msg ol,.msg pre{margin:0 0 6px}.msg>div>:last-child{margin-bottom:0}
.msg ul,.msg ol{padding-left:20px}
.msg pre{background:#f1f3f5;padding:8px;border-radius:6px;overflow-x:auto;font-size:13px;white-space:pre}
code{font:13px ui-monospace,Menlo,Consolas,monospace}
.customer{align-self:flex-end;background:#2557d6;color:#fff;border-color:#2557d6;white-space:pre-wrap}
.staff{border-left:4px solid #d97706;background:#fffaf0}
.notice{align-self:center;max-width:100%;background:#fef3f2;border-color:#f5c2bd;color:#8a1c12;font-size:14px}
.intro{color:#57606a;font-size:14px}
.who{display:block;font-size:12px;font-weight:600;color:#57606a;margin-bottom:2px}
.staff .who{color:#9a5300}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.extra{margin-top:8px;padding-top:6px;border-top:1px solid #eaecef;font-size:13px}
.extra ul{margin:2px 0 0;padding-left:18px}
a{color:#1a4fd0;text-decoration:underline}
.rec{margin-top:4px}
.quick{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.quick button{border:1px solid #2557d6;background:#fff;color:#1c46b3;border-radius:16px;padding:4px 10px;font-size:13px}
.quick button:hover{background:#eef3ff}
.fb{display:flex;align-items:center;gap:6px;margin-top:6px;font-size:12px;color:#57606a}
.fb button{border:1px solid #d0d7de;background:#fff;border-radius:8px;width:30px;height:26px;color:#57606a}
.fb .down svg{transform:rotate(180deg)}
.fb button[aria-pressed=true]{background:#eef3ff;border-color:#2557d6;color:#1c46b3;opacity:1}
.typing{display:flex;gap:4px;padding:12px}
.typing i{width:7px;height:7px;border-radius:50%;background:#8c959f;animation:blink 1s infinite}
.typing i:nth-child(2){animation-delay:.2s}.typing i:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.3}40%{opacity:1}}
form{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e6ea;background:#fff}
textarea{flex:1;resize:none;min-height:40px;max-height:120px;padding:9px 10px;border:1px solid #d0d7de;border-radius:10px;background:#fff;line-height:1.4}
form button{border:0;border-radius:10px;padding:0 16px;background:#2557d6;color:#fff;font-weight:600}
@media (max-width:480px){.panel,.left .panel{left:0;right:0;bottom:0;width:100%;max-height:100%;height:85vh;border-radius:14px 14px 0 0}.open .launcher{display:none}}
@media (prefers-reduced-motion:reduce){.panel,.typing i{animation:none}}`;

  const svg = (size, d) =>
    `<svg width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="${d}"/></svg>`;
  const ICON = {
    chat: svg(26, "M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"),
    close: svg(18, "M6 6l12 12M18 6 6 18"),
    restart: svg(18, "M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5"),
    thumb: svg(15, "M7 10v11H3V10zM7 10l4-8a3 3 0 0 1 3 3v4h6a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.6 21H7"),
  };

  // -- small helpers
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const name in attrs || {}) node.setAttribute(name, attrs[name]);
    if (text != null) node.textContent = String(text);
    return node;
  }
  function iconButton(label, svg, cls) {
    const b = el("button", { type: "button", "aria-label": label, title: label });
    if (cls) b.className = cls;
    b.innerHTML = svg; // constant markup of this file, never data
    return b;
  }
  function store(kind, name, value) {
    try {
      const s = kind === "local" ? localStorage : sessionStorage;
      if (value === undefined) return s.getItem(NS + name);
      if (value === null) s.removeItem(NS + name);
      else s.setItem(NS + name, value);
    } catch (e) {
      /* storage can be disabled; the widget then forgets on reload */
    }
    return null;
  }
  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID(); // only on https and localhost pages
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join("");
  }
  function safeUrl(url) {
    try {
      const u = new URL(String(url), base);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }
  function link(text, href) {
    return el("a", { href, target: "_blank", rel: "noopener noreferrer" }, text);
  }

  // Light Markdown (paragraphs, lists, code blocks, **bold**, `code`, [links](url)) as DOM nodes.
  function inline(parent, text) {
    const re = /\*\*([^*]+)\*\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
    let last = 0;
    let m;
    while ((m = re.exec(text))) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1] !== undefined) parent.appendChild(el("strong", {}, m[1]));
      else if (m[2] !== undefined) parent.appendChild(el("code", {}, m[2]));
      else {
        const href = safeUrl(m[4]);
        parent.appendChild(href ? link(m[3], href) : document.createTextNode(m[3]));
      }
      last = re.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function markdown(text) {
    const out = el("div");
    let para = null;
    let list = null;
    let code = null;
    for (const line of String(text).replace(/\r\n?/g, "\n").split("\n")) {
      if (code) {
        if (/^\s*```/.test(line)) code = null;
        else code.textContent += (code.textContent ? "\n" : "") + line;
        continue;
      }
      if (/^\s*```/.test(line)) {
        para = list = null;
        code = out.appendChild(el("pre")).appendChild(el("code"));
        continue;
      }
      const item = /^\s*(?:[-*•]|(\d+)[.)])\s+(.*)$/.exec(line);
      if (item) {
        const tag = item[1] ? "ol" : "ul";
        if (!list || list.tagName.toLowerCase() !== tag) {
          list = out.appendChild(el(tag));
          if (item[1] && item[1] !== "1") list.setAttribute("start", item[1]);
        }
        inline(list.appendChild(el("li")), item[2]);
        para = null;
      } else if (line.trim()) {
        list = null;
        if (para) para.appendChild(el("br"));
        else para = out.appendChild(el("p"));
        inline(para, line.replace(/^\s*#{1,6}\s+/, ""));
      } else {
        para = list = null;
      }
    }
    return out;
  }

  // -- the DOM
  const host = el("div", { "data-supportbot": "", lang: HTML_LANG[lang] });
  const shadow = host.attachShadow({ mode: "open" });
  const style = el("style", {}, CSS);
  const root = el("div", { class: "root" + (left ? " left" : ""), lang: HTML_LANG[lang] });
  const launcher = iconButton(t("open"), ICON.chat, "launcher");
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "sb-panel");
  const dot = launcher.appendChild(el("span", { class: "dot", hidden: "" }));
  const panel = el("div", { class: "panel", id: "sb-panel", role: "dialog", "aria-label": t("dialog"), hidden: "" });
  const header = panel.appendChild(el("header"));
  const heading = header.appendChild(el("h2", {}, customTitle || t("title")));
  const restart = header.appendChild(iconButton(t("restart"), ICON.restart));
  const closer = header.appendChild(iconButton(t("close"), ICON.close));
  const status = panel.appendChild(el("div", { class: "status", role: "status", hidden: "" }));
  const log = panel.appendChild(el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": t("messages"), tabindex: "0" }));
  const form = panel.appendChild(el("form"));
  const input = form.appendChild(el("textarea", { "aria-label": t("input"), rows: "1", placeholder: t("placeholder") }));
  const sendButton = form.appendChild(el("button", { type: "submit" }, t("send")));
  root.append(launcher, panel);
  shadow.append(style, root);

  // -- state
  let conversation = store("local", "conversation");
  let busy = false;
  let lastSeq = 0;
  let handoff = false;
  let pollTimer = null;
  let quietPolls = 0;
  let generation = 0; // "Start over" makes answers still on their way obsolete
  let waitingFor = null; // while a person has the conversation: its ticket (or "")
  let introBox = null;

  function scrollDown() {
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    log.scrollTo({ top: log.scrollHeight, behavior: smooth ? "smooth" : "auto" });
  }
  // The widget's words in ``code`` (a reply's language, or the page's at first).
  function setLanguage(code) {
    lang = known(code);
    const tag = HTML_LANG[lang];
    root.setAttribute("lang", tag);
    host.setAttribute("lang", tag);
    for (const [node, name] of [[restart, "restart"], [closer, "close"]]) {
      node.setAttribute("aria-label", t(name));
      node.setAttribute("title", t(name));
    }
    launcher.setAttribute("title", t("open"));
    unread(!dot.hidden);
    panel.setAttribute("aria-label", t("dialog"));
    if (!customTitle) heading.textContent = t("title");
    log.setAttribute("aria-label", t("messages"));
    input.setAttribute("aria-label", t("input"));
    input.setAttribute("placeholder", t("placeholder"));
    sendButton.textContent = t("send");
    if (waitingFor !== null) showWaiting();
    if (introBox && introBox.parentNode === log && log.childElementCount === 1) {
      introBox.remove();
      introBox = null;
      intro();
    }
  }
  function message(kind, text, who, language) {
    const box = el("div", { class: "msg " + kind, "data-author": kind, lang: HTML_LANG[known(language || lang)] });
    if (who) box.appendChild(el("span", { class: kind === "customer" ? "who sr" : "who" }, who));
    if (kind === "bot" || kind === "staff") box.appendChild(markdown(text));
    else box.appendChild(el("div", {}, text));
    log.appendChild(box);
    scrollDown();
    return box;
  }
  function notice(text, language) {
    return message("notice", text, null, language);
  }
  function intro() {
    if (!log.firstChild) introBox = message("intro", t("intro"));
  }
  function retireQuickReplies() {
    for (const q of log.querySelectorAll(".quick")) q.remove();
  }

  function reply(data, last) {
    const language = known(data.language);
    const box = message("bot", data.reply || "", t("assistant", null, language), language);
    const sources = (data.sources || []).map((s) => [s.title || s.id, safeUrl(s.url)]).filter((s) => s[1]);
    if (sources.length) {
      const extra = box.appendChild(el("div", { class: "extra sources" }, t("sources", null, language)));
      const list = extra.appendChild(el("ul"));
      for (const [name, href] of sources) list.appendChild(el("li")).appendChild(link(name, href));
    }
    if ((data.recommendations || []).length) {
      const extra = box.appendChild(el("div", { class: "extra recs" }, t("recommended", null, language)));
      for (const r of data.recommendations) {
        const rec = extra.appendChild(el("div", { class: "rec" }));
        rec.appendChild(el("strong", {}, r.name || r.model_id));
        const reasons = rec.appendChild(el("ul"));
        for (const why of r.reasons || []) reasons.appendChild(el("li", {}, why));
      }
    }
    if (last) actions(box, data, language);
    scrollDown(); // again: sources and buttons made the message taller
    return box;
  }
  function actions(box, data, language) {
    if ((data.quick_replies || []).length) {
      const label = t("suggested", null, language);
      const quick = box.appendChild(el("div", { class: "quick", role: "group", "aria-label": label }));
      for (const text of data.quick_replies) {
        quick.appendChild(el("button", { type: "button" }, text)).addEventListener("click", () => send(text));
      }
    }
    if (data.reply) feedback(box, data.reply, data.conversation_id || conversation, language);
  }

  function feedback(box, text, id, language) {
    const row = box.appendChild(el("div", { class: "fb", role: "group", "aria-label": t("helpfulQ", null, language) }));
    const up = row.appendChild(iconButton(t("helpful", null, language), ICON.thumb));
    const down = row.appendChild(iconButton(t("notHelpful", null, language), ICON.thumb, "down"));
    const said = row.appendChild(el("span", { role: "status" }));
    for (const [button, helpful] of [[up, true], [down, false]]) {
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", async () => {
        up.disabled = down.disabled = true;
        button.setAttribute("aria-pressed", "true");
        try {
          const res = await api("/api/v1/feedback", { conversation_id: id, helpful, message: text });
          if (!res.ok) throw new Error(String(res.status));
          said.textContent = t("thanks", null, language);
        } catch (e) {
          said.textContent = t("feedbackFailed", null, language);
          button.setAttribute("aria-pressed", "false");
          up.disabled = down.disabled = false;
        }
      });
    }
  }

  // -- talking to the server
  function api(path, body) {
    const init = { headers: { "X-Supportbot-Key": key }, credentials: "omit", mode: "cors" };
    if (body) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(base + path, init);
  }
  function remember(id) {
    conversation = id;
    store("local", "conversation", id);
  }
  function setBusy(on) {
    busy = on;
    sendButton.disabled = on;
    for (const b of log.querySelectorAll(".quick button")) b.disabled = on;
  }

  async function send(raw) {
    const text = String(raw).trim();
    if (!text || busy) return;
    setBusy(true);
    retireQuickReplies();
    const writing = guess(text);
    message("customer", text, t("you"), writing);
    const typing = log.appendChild(el("div", { class: "msg typing" }));
    typing.appendChild(el("span", { class: "sr" }, t("typing", null, writing)));
    typing.insertAdjacentHTML("beforeend", "<i></i><i></i><i></i>"); // constant markup
    scrollDown();
    const body = { message: text, client_message_id: newId() };
    if (conversation) body.conversation_id = conversation;
    const gen = generation;
    try {
      let res;
      try {
        res = await api("/api/v1/chat", body);
      } catch (e) {
        if (gen === generation) notice(t("unavailable")); // offline, or the server refused this site (CORS)
        return;
      }
      let data = null;
      try {
        data = await res.json();
      } catch (e) {
        /* not JSON: reported below by status */
      }
      typing.remove();
      if (gen !== generation) return;
      if (!res.ok) {
        const why = (data && data.error) || "HTTP " + res.status;
        if (res.status === 413) {
          setLanguage(writing); // no reply: the customer's own language
          const counts = String(why).match(/\d+/g) || [];
          if (counts.length === 2 && "tooLongCount" in TEXTS[lang]) {
            notice(t("tooLongCount", { count: counts[0], limit: counts[1] }));
          } else notice(t("tooLong", { why }));
        } else if (res.status === 401 || res.status === 403) {
          console.warn("supportbot widget:", why);
          notice(t("unavailable"));
        } else notice(t("failed", { why }));
        return;
      }
      remember(data.conversation_id);
      if (data.language) setLanguage(data.language);
      reply(data, true);
      if (data.route === "handoff" && data.ticket) startHandoff(data.ticket);
    } finally {
      typing.remove();
      setBusy(false);
    }
  }

  // -- handoff: a person answers; their replies arrive by polling
  function showWaiting() {
    status.textContent = waitingFor ? t("waitingTicket", { ticket: waitingFor }) : t("waiting");
  }
  function startHandoff(ticket) {
    waitingFor = ticket || "";
    showWaiting();
    status.hidden = false;
    quietPolls = 0;
    if (!handoff) {
      handoff = true;
      schedule(POLL_MS);
    }
  }
  function stopHandoff() {
    handoff = false;
    waitingFor = null;
    status.hidden = true;
    status.textContent = "";
    clearTimeout(pollTimer);
  }
  function schedule(ms) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, ms);
  }
  async function poll() {
    if (!handoff || !conversation) return;
    if (document.visibilityState === "hidden") return schedule(POLL_MS * 5);
    const id = conversation;
    try {
      const res = await api("/api/v1/conversations/" + encodeURIComponent(id));
      if (id !== conversation) return;
      if (res.status === 404) return forget();
      if (res.ok) {
        const data = await res.json();
        quietPolls = showStaff(data.turns || []) ? 0 : quietPolls + 1;
        if (data.status !== "handoff") {
          stopHandoff();
          message("intro", t("backToBot"));
          return;
        }
      }
    } catch (e) {
      /* a failed poll is retried */
    }
    if (handoff) schedule(Math.min(POLL_MS * Math.pow(1.25, quietPolls), POLL_MAX_MS));
  }
  function showStaff(turns) {
    let shown = false;
    for (const turn of turns) {
      if (turn.seq > lastSeq && turn.author === "staff") {
        const said = turn.reply || {};
        message("staff", said.reply || "", t("team"), said.language);
        if (panel.hidden) unread(true);
        shown = true;
      }
      lastSeq = Math.max(lastSeq, turn.seq || 0);
    }
    return shown;
  }
  document.addEventListener("visibilitychange", () => {
    if (handoff && document.visibilityState === "visible") schedule(0);
  });

  // -- opening, closing, starting over
  function unread(on) {
    dot.hidden = !on;
    launcher.setAttribute("aria-label", on ? t("openUnread") : t("open"));
  }
  function open(focus) {
    panel.hidden = false;
    root.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    unread(false);
    store("session", "open", "1");
    scrollDown();
    if (focus !== false) input.focus();
  }
  function close() {
    panel.hidden = true;
    root.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    store("session", "open", "0");
    launcher.focus();
  }
  function forget() {
    stopHandoff();
    conversation = null;
    lastSeq = 0;
    store("local", "conversation", null);
  }
  function reset() {
    generation++;
    forget();
    log.textContent = "";
    intro();
    input.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closer.addEventListener("click", close);
  restart.addEventListener("click", reset);
  root.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  input.addEventListener("input", () => {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 120) + "px";
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (busy || !input.value.trim()) return;
    const text = input.value;
    input.value = "";
    input.style.height = "";
    send(text);
  });

  // -- start: draw the stored conversation again
  async function restore() {
    if (!conversation) return intro();
    let data;
    try {
      const res = await api("/api/v1/conversations/" + encodeURIComponent(conversation));
      if (res.status === 404) forget();
      if (!res.ok) return intro();
      data = await res.json();
    } catch (e) {
      return notice(t("unavailable"));
    }
    const turns = data.turns || [];
    let ticket = null;
    const latest = data.language || (turns.length && (turns[turns.length - 1].reply || {}).language);
    if (latest) setLanguage(latest);
    turns.forEach((turn, i) => {
      const r = turn.reply || {};
      if (turn.customer) message("customer", turn.customer, t("you"), guess(turn.customer, known(r.language)));
      if (turn.author === "staff") message("staff", r.reply || "", t("team"), r.language);
      else reply(r, i === turns.length - 1);
      if (r.ticket) ticket = r.ticket;
      lastSeq = Math.max(lastSeq, turn.seq || 0);
    });
    if (!turns.length) intro();
    if (data.status === "handoff") startHandoff(ticket);
  }

  function mount() {
    document.body.appendChild(host);
    if (store("session", "open") === "1") open(false);
    setBusy(true); // the stored conversation is drawn before anything new is sent
    restore().finally(() => setBusy(false));
  }
  window.SupportbotWidget = Object.freeze({ open: () => open(), close, reset });
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
