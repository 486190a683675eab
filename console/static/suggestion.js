// A suggestion's page: a reply template fills the reply box (the clerk completes it; the preview
// follows as if typed).
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.getElementById("template");
  const box = document.getElementById("reply-text");
  if (!picker || !box) return;
  picker.addEventListener("change", () => {
    const option = picker.selectedOptions[0];
    if (!option || !option.dataset.text) return;
    box.value = option.dataset.text;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  });
});
