// The queue: filters folded on a phone; keyboard (j/k move, Enter opens, x chooses, / searches,
// ? lists the keys); bulk choice (all / the count chosen).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("filters-box");
  const bulkBox = document.getElementById("bulk-box");
  if (window.matchMedia("(max-width: 600px)").matches) {
    if (box) box.open = false;
    if (bulkBox) bulkBox.open = false;
  }
  const rows = () => Array.from(document.querySelectorAll("#queue tbody tr"));
  const dialog = document.getElementById("shortcuts");
  const chosen = document.getElementById("chosen");
  let current = -1;
  const count = () => {
    if (chosen) chosen.textContent = document.querySelectorAll("#queue input[name=ids]:checked").length;
  };
  const move = (to) => {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, to));
    all.forEach((row, i) => row.classList.toggle("current", i === current));
    all[current].setAttribute("tabindex", "-1");
    all[current].focus();
  };
  const all = document.getElementById("choose-all");
  if (all) all.addEventListener("change", () => {
    document.querySelectorAll("#queue input[name=ids]").forEach((box) => { box.checked = all.checked; });
    count();
  });
  document.querySelectorAll("#queue input[name=ids]").forEach((box) => box.addEventListener("change", count));
  const help = document.getElementById("show-shortcuts");
  if (help && dialog) help.addEventListener("click", () => dialog.showModal());
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("input, select, textarea, dialog[open]")) return;
    if (event.key === "?" && dialog) { dialog.showModal(); event.preventDefault(); return; }
    if (event.key === "j") move(current + 1);
    else if (event.key === "k") move(current - 1);
    else if (event.key === "Enter" && current >= 0) {
      const link = rows()[current].querySelector("a");
      if (link) window.location.href = link.href;
    } else if (event.key === "x" && current >= 0) {
      const pick = rows()[current].querySelector("input[name=ids]");
      if (pick) { pick.checked = !pick.checked; count(); }
    } else if (event.key === "/") {
      const search = document.querySelector("input[name=q]");
      if (search) { if (box) box.open = true; search.focus(); event.preventDefault(); }
    } else return;
  });
});
