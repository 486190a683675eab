// The web chat: text is always inserted as text (never as HTML), buttons carry server tokens.
"use strict";
const log = document.getElementById("log");
const input = document.getElementById("message");
let language = "zh";

function show(text, who, buttons) {
  const item = document.createElement("li");
  item.className = who;
  item.textContent = text;
  if (who === "staff") item.setAttribute("aria-label", "工作人员答复");
  if (buttons && buttons.length) {
    const group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    for (const b of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", () => { show(b.title, "me"); send({ token: b.token }); group.remove(); });
      group.appendChild(button);
    }
    item.appendChild(group);
  }
  log.appendChild(item);
  item.scrollIntoView({ block: "end" });
}

async function send(body) {
  body.lang = language;
  try {
    const response = await fetch("/api/message", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const data = await response.json();
    for (const m of data.messages) show(m.text, "bot", m.buttons);
  } catch (error) {
    show(language === "en" ? "Sorry, the assistant can't be reached. For urgent matters call 12345."
                           : "抱歉，暂时连不上助手。急事请拨打12345市民服务热线。", "bot");
  }
}

async function updates() {
  try {
    const response = await fetch("/api/updates");
    const data = await response.json();
    for (const m of data.messages) show(m.text, "staff");
  } catch (error) { /* offline: try again later */ }
}

document.getElementById("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) { input.focus(); return; }
  if (/[A-Za-z]{2,}/.test(text) && !/[\u3400-\u9fff]/.test(text)) language = "en";
  else if (/[\u3400-\u9fff]/.test(text)) language = "zh";
  show(text, "me");
  input.value = "";
  send({ text });
});

for (const button of document.querySelectorAll("[data-shortcut]")) {
  button.addEventListener("click", () => {
    const shortcut = button.dataset.shortcut;
    if (shortcut === "zh" || shortcut === "en") language = shortcut;
    show(button.textContent, "me");
    send({ shortcut });
  });
}

updates();
setInterval(updates, 10000);
input.focus();
