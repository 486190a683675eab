// The web chat: text is always inserted as text (never as HTML), buttons carry server tokens.
"use strict";
const WAIT_NOTICE_MS = 4000; // still no reply: tell the resident we are on it
const GIVE_UP_MS = 30000; // no reply at all: apologise and free the input

const TEXTS = {
  zh: {
    lang: "zh-CN", title: "长征镇市民助手", nav: "常用功能", mine: "我的建议", delete: "删除我的信息",
    log: "对话记录", label: "输入您的问题或建议", placeholder: "例如：加装电梯怎么申请", send: "发送",
    topics: "话题",
    replying: "正在回复…",
    wait: "还在处理您的问题，请稍候，回复会显示在这里。",
    failed: "抱歉，暂时连不上助手，请稍后再试。急事请拨打12345市民服务热线。",
    slow: "请稍等片刻再发送，您的上一条消息已收到。",
    staff: "工作人员答复",
    privacy: "隐私说明：为了回答和跟进您的建议，我们会保存对话；电话号码只在您同意时保存，可随时点击“删除我的信息”。",
    greeting: "您好！我是长征镇市民助手，根据镇政府工作报告回答问题。请选择一个话题，或直接输入您的问题：",
  },
  en: {
    lang: "en", title: "Changzheng Town Assistant", nav: "Shortcuts", mine: "My suggestions",
    delete: "Delete my data", log: "Conversation", label: "Type your question or suggestion",
    placeholder: "e.g. How do I apply for an elevator?", send: "Send", topics: "Topics",
    replying: "Replying…",
    wait: "Still working on your question, please wait; the reply will appear here.",
    failed: "Sorry, the assistant can't be reached right now. Please try again later; for urgent matters call 12345.",
    slow: "Please wait a moment before sending again; your last message was received.",
    staff: "Reply from town staff",
    privacy: "Privacy: conversations are kept to answer and follow up your suggestions; a phone number only with your consent. Press 'Delete my data' any time.",
    greeting: "Hello! I'm the Changzheng town assistant and answer from the town's government work report. Choose a topic or type your question:",
  },
};

// Topic buttons on the first screen, from topics.yml: the page carries them in its JSON block
// (bot/webchat.py `page`): {zh: [{key, label, question}], en: [...]}, the same topics in both.
// Each sends a question residents would ask.
const TOPICS = readTopics();

function readTopics() {
  try {
    const data = JSON.parse(document.getElementById("topics").textContent);
    const zh = Array.isArray(data.zh) ? data.zh : [];
    const en = Array.isArray(data.en) ? data.en : [];
    return zh.length === en.length ? { zh, en } : { zh: [], en: [] };
  } catch (error) {
    return { zh: [], en: [] }; // no block: no buttons, the greeting still asks for a question
  }
}

const log = document.getElementById("log");
const input = document.getElementById("message");
const send = document.getElementById("send");
const status = document.getElementById("status");
let language = localStorage.getItem("cz-lang") === "en" ? "en" : "zh";
let busy = false;
let newest = null; // the first item of the latest batch of replies: kept in view

function t(key) { return TEXTS[language][key]; }

// Scroll the log (only the log scrolls) so the newest replies are in view: all of them when they
// fit, else the beginning of the first one.
function reveal() {
  const last = log.lastElementChild;
  if (!last) return;
  const first = newest && newest.isConnected ? newest : last;
  const bottom = last.offsetTop + last.offsetHeight + 8;
  log.scrollTop = bottom - first.offsetTop <= log.clientHeight ? bottom - log.clientHeight : first.offsetTop - 8;
}

function item(className) {
  const li = document.createElement("li");
  li.className = className;
  log.appendChild(li);
  return li;
}

function chosen(question) {
  input.focus();
  ask(question);
}

function show(text, who, buttons, time) {
  const li = item(who);
  if (who === "staff") {
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.dataset.i18n = "staff";
    meta.dataset.time = time || "";
    meta.textContent = t("staff") + (time ? ` · ${time}` : "");
    li.appendChild(meta);
    li.appendChild(document.createTextNode(text));
  } else {
    li.textContent = text;
  }
  if (buttons && buttons.length) {
    const group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    for (const b of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      if (b.danger) button.className = "danger";
      if (b.rating) button.className = "rating"; // 👍 / 👎 after an answer
      button.addEventListener("click", () => {
        if (busy) return;
        if (b.rating) for (const r of group.querySelectorAll("button.rating")) r.remove(); // questions stay
        else group.remove();
        input.focus();
        post({ token: b.token }, b.title);
      });
      group.appendChild(button);
    }
    li.appendChild(group);
  }
  return li;
}

function greet() {
  const li = item("bot greeting");
  li.appendChild(document.createElement("span")).dataset.i18n = "greeting";
  const group = document.createElement("div");
  group.className = "topics";
  group.setAttribute("role", "group");
  group.dataset.i18nLabel = "topics";
  TOPICS.zh.forEach((topic, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.topic = index;
    button.addEventListener("click", () => chosen(TOPICS[language][index].question));
    group.appendChild(button);
  });
  li.appendChild(group);
}

// Every label, placeholder and notice follows the chosen language, and so does <html lang>.
function translate() {
  document.documentElement.lang = t("lang");
  document.title = t("title");
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n) + (el.dataset.time ? ` · ${el.dataset.time}` : "");
  }
  for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll("[data-topic]")) el.textContent = TOPICS[language][el.dataset.topic].label;
  if (busy) status.textContent = t("replying");
}

function setLanguage(lang) {
  if (lang === language) return;
  language = lang;
  localStorage.setItem("cz-lang", lang);
  translate();
}

function setBusy(on) {
  busy = on;
  send.disabled = on;
  for (const b of document.querySelectorAll("nav button, .choices button, .topics button")) b.disabled = on;
  status.textContent = on ? t("replying") : "";
  log.setAttribute("aria-busy", on ? "true" : "false");
}

function notice(key) {
  const li = item("notice");
  li.dataset.i18n = key;
  li.textContent = t(key);
  return li;
}

// One request at a time; every message ends in a reply or a visible notice, never in silence.
async function post(body, echo) {
  if (busy) return;
  if (echo) show(echo, "me");
  body.lang = language;
  setBusy(true);
  newest = null;
  reveal();
  const controller = new AbortController();
  const waiting = setTimeout(() => { newest = notice("wait"); reveal(); }, WAIT_NOTICE_MS);
  const giveUp = setTimeout(() => controller.abort(), GIVE_UP_MS);
  let batch = null;
  try {
    const response = await fetch("/api/message", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      signal: controller.signal, credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = await response.json();
    for (const m of data.messages || []) {
      const li = show(m.text, "bot", m.buttons);
      batch = batch || li;
    }
    if (!batch && !data.paused) batch = notice("slow"); // paused: a staff member answers
  } catch (error) {
    batch = notice("failed");
  } finally {
    clearTimeout(waiting);
    clearTimeout(giveUp);
    setBusy(false);
    newest = batch;
    reveal();
  }
}

// The language most of a question is written in (language/text.py `detect_language`): English
// words only, or at least two English words outweighing the Chinese characters (two characters
// weigh one word: "What is 长护险?"), are English; other text with Chinese characters is Chinese
// ("我想问下APP怎么下载"); null keeps the chosen language. A reference number's letters are not English.
function languageOf(text) {
  const plain = text.replace(/jy[\s\-_－]*\d{8}[\s\-_－]*[0-9a-z]{4}[\s\-_－]*[0-9a-z]/gi, " ");
  const words = (plain.match(/[A-Za-z]{2,}/g) || []).length;
  const characters = (plain.match(/[\u3400-\u9fff\uf900-\ufaff]/g) || []).length;
  if (!characters) return /[A-Za-z]+[\s,.'?!]+[A-Za-z]+/.test(plain) ? "en" : null;
  return words >= 2 && words * 2 > characters ? "en" : "zh";
}

function ask(text) {
  const lang = languageOf(text);
  if (lang) setLanguage(lang);
  post({ text }, text);
}

// Staff replies: each poll acknowledges the replies the previous one brought (the server hands an
// unacknowledged one out again after a while). The ids shown are remembered in this browser, so a
// reply handed out again, or to a second tab, is acknowledged without being shown twice.
const SHOWN = "cz-staff-shown";
let acknowledge = null; // {claim, ids} of the latest replies taken, until the server has it
let polling = false;

function shownIds() {
  try { return JSON.parse(localStorage.getItem(SHOWN)) || []; } catch (error) { return []; }
}

async function updates() {
  if (polling) return;
  polling = true;
  try {
    for (let round = 0; round < 5; round++) { // new replies are acknowledged at once
      const response = await fetch("/api/updates", {
        method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
        body: JSON.stringify(acknowledge ? { ack: acknowledge } : {}),
      });
      if (!response.ok) break;
      const data = await response.json();
      acknowledge = null;
      const messages = data.messages || [];
      if (!messages.length) break;
      const shown = shownIds();
      let first = null;
      for (const m of messages) {
        if (shown.includes(m.id)) continue;
        const li = show(m.text, "staff", null, m.time);
        first = first || li;
        shown.push(m.id);
      }
      try { localStorage.setItem(SHOWN, JSON.stringify(shown.slice(-200))); } catch (error) { /* full */ }
      acknowledge = { claim: data.claim, ids: messages.map((m) => m.id) };
      if (first) { newest = first; reveal(); }
    }
  } catch (error) { /* offline: acknowledged with the next poll */ }
  polling = false;
}

// The app fills the visual viewport, so an on-screen keyboard never covers the input or the log.
function fit() {
  const viewport = window.visualViewport;
  const root = document.documentElement.style;
  root.setProperty("--app-height", `${viewport ? viewport.height : window.innerHeight}px`);
  root.setProperty("--app-top", `${viewport ? viewport.offsetTop : 0}px`);
  reveal();
}

document.getElementById("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  input.focus();
  if (!text || busy) return;
  input.value = "";
  ask(text);
});

for (const button of document.querySelectorAll("[data-shortcut]")) {
  button.addEventListener("click", () => {
    const shortcut = button.dataset.shortcut;
    if (shortcut === "zh" || shortcut === "en") setLanguage(shortcut);
    input.focus();
    post({ shortcut }, button.textContent);
  });
}

if (window.visualViewport) {
  window.visualViewport.addEventListener("resize", fit);
  window.visualViewport.addEventListener("scroll", fit);
}
window.addEventListener("resize", fit);
const privacy = item("privacy");
privacy.dataset.i18n = "privacy";
greet();
translate();
fit();
updates();
setInterval(updates, 10000);
input.focus();
