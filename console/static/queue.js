// The queue on a phone: the filters start folded away, so the first screen shows suggestions.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("filters-box");
  if (box && window.matchMedia("(max-width: 600px)").matches) box.open = false;
});
