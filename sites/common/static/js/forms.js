// An API problem shown where a person can act on it: each errors[].field next to the input
// that has data-field="<field>", the rest in the form's alert.
import { el } from "./ui.js";

export function clearErrors(form) {
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  for (const node of form.querySelectorAll(".error[data-for]")) node.remove();
  const alert = form.querySelector('[role="alert"]');
  if (alert) alert.hidden = true;
}

export function showErrors(form, error, { alert = form.querySelector('[role="alert"]') } = {}) {
  clearErrors(form);
  const unplaced = [];
  for (const item of (error.problem && error.problem.errors) || []) {
    const input = form.querySelector(`[data-field="${CSS.escape(item.field)}"]`);
    if (!input) { unplaced.push(item.message); continue; }
    input.setAttribute("aria-invalid", "true");
    const note = el("p", { class: "error", "data-for": item.field, id: `error-${item.field.replace(/\W/g, "-")}` }, item.message);
    input.setAttribute("aria-describedby", note.id);
    input.after(note);
  }
  const first = form.querySelector("[aria-invalid]");
  if (alert && (unplaced.length || !first)) {
    alert.textContent = unplaced.length ? unplaced.join(" ") : error.message;
    alert.hidden = false;
  }
  (first || alert)?.focus?.();
}
