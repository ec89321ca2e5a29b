// Copy buttons on code cells: the clipboard API, or a hidden textarea where it is unavailable.
document.addEventListener("click", async (event) => {
  const button = event.target.closest(".guide-copy");
  if (!button) return;
  const code = button.closest(".guide-code").querySelector("pre").innerText;
  try {
    await navigator.clipboard.writeText(code);
  } catch {
    const area = document.createElement("textarea");
    area.value = code;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  button.textContent = "Copied";
  setTimeout(() => (button.textContent = "Copy"), 1500);
});
