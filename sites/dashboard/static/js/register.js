// Daftar: an account, then straight into a session and on to opening the store.
import { api, BASE } from "./api.js";
import { showErrors } from "./forms.js";
import { $ } from "./ui.js";

const form = $("#register");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  const email = $("#email").value.trim();
  const password = $("#password").value;
  try {
    await api("POST", "/auth/register", { body: { name: $("#name").value.trim(), email, password } });
    await api("POST", "/auth/session", { body: { email, password } });
    location.replace(`${BASE}buka-toko/`);
  } catch (error) {
    showErrors(form, error);
  } finally {
    button.disabled = false;
  }
});
