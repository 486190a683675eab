// The unanswered list: typing into a group's entry search chooses "another entry" (what is
// typed wins on the server too).
document.addEventListener("input", (event) => {
  const search = event.target;
  if (!search.matches || !search.matches("fieldset.picker input[name=entry_search]")) return;
  const other = search.closest("fieldset").querySelector("input[name=entry][value=other]");
  if (other && search.value.trim()) other.checked = true;
});
