// Buka toko: the store waits for the city's approval, and the page says so.
import { api } from "./api.js";
import { showErrors } from "./forms.js";
import { placeSelects } from "./reference.js";
import { requireSession } from "./session.js";
import { $, announce } from "./ui.js";

const form = $("#open-store");
const session = await requireSession({ needStore: false });
if (session.stores.length) showWaiting(session.store.status);
await placeSelects($("#kecamatan"), $("#kelurahan"));

function showWaiting(status) {
  form.hidden = status !== undefined;
  $("#waiting").hidden = status !== "pending";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(["name", "kecamatan", "kelurahan", "address", "phone", "description"]
    .map((key) => [key, $(`#${key}`).value.trim()]));
  try {
    const store = await api("POST", "/stores", { body });
    showWaiting(store.status);
    announce("Toko terdaftar dan menunggu persetujuan.");
  } catch (error) {
    showErrors(form, error);
  }
});
