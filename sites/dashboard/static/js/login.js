// Masuk: email and password for a session cookie; then where the seller was going.
import { api, BASE } from "./api.js";
import { showErrors } from "./forms.js";
import { $ } from "./ui.js";

const form = $("#login");

function next(session) {
  const wanted = new URLSearchParams(location.search).get("kembali") || "";
  // only a path of the dashboard itself: never a redirect to another site
  if (wanted.startsWith(BASE) && !wanted.startsWith("//")) return wanted;
  return session.stores.length ? `${BASE}pesanan/` : `${BASE}buka-toko/`;
}

api("GET", "/auth/session").then((session) => location.replace(next(session)), () => {});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const session = await api("POST", "/auth/session", { body: { email: $("#email").value.trim(), password: $("#password").value } });
    location.replace(next(session));
  } catch (error) {
    showErrors(form, error.status === 429 ? { problem: {}, message: "Terlalu banyak percobaan. Tunggu semenit, lalu coba lagi." } : error);
  } finally {
    button.disabled = false;
  }
});
