// Toko: the store's profile, what the storefront may show, how buyers get their goods, the bank
// account for transfers, and the delivery fee to each kecamatan (shown by name).
import { api } from "./api.js";
import { clearErrors, showErrors } from "./forms.js";
import { placeSelects, reference } from "./reference.js";
import { requireSession } from "./session.js";
import { $, announce, el } from "./ui.js";

const { store: current } = await requireSession();
const TEXT = ["name", "description", "address", "phone", "opening_hours", "bank_name", "bank_account_number", "bank_account_name"];
const FLAGS = ["offers_delivery", "offers_pickup", "publish_phone", "publish_address"];
let store = await api("GET", `/stores/${current.id}`);

function fill() {
  for (const key of TEXT) $(`#${key}`).value = store[key] || "";
  for (const key of FLAGS) $(`#${key}`).checked = Boolean(store[key]);
}

$("#profile").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = {};
  for (const key of TEXT) if (($(`#${key}`).value.trim()) !== (store[key] || "")) body[key] = $(`#${key}`).value.trim();
  for (const key of FLAGS) if ($(`#${key}`).checked !== Boolean(store[key])) body[key] = $(`#${key}`).checked;
  if ($("#kecamatan").value !== store.kecamatan_code || $("#kelurahan").value !== store.kelurahan_code) {
    body.kecamatan = $("#kecamatan").value;
    body.kelurahan = $("#kelurahan").value;
  }
  try {
    store = await api("PATCH", `/stores/${store.id}`, { body });
    clearErrors($("#profile"));
    fill();
    announce("Profil toko tersimpan.");
  } catch (error) {
    showErrors($("#profile"), error);
  }
});

async function fees() {
  const [table, data] = await Promise.all([api("GET", `/stores/${store.id}/delivery-fees`), reference()]);
  $("#fee-rows").replaceChildren(...data.kecamatan.map((k) => el("tr", {},
    el("th", { scope: "row" }, el("label", { for: `fee-${k.code}` }, k.name)),
    el("td", {}, el("input", { id: `fee-${k.code}`, type: "number", min: "0", step: "500", inputmode: "numeric",
                               value: String(table.fees[k.code] ?? 0), "data-code": k.code, "data-field": `fees.${k.code}` })))));
}

$("#fees").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { fees: Object.fromEntries([...document.querySelectorAll("[data-code]")].map((i) => [i.dataset.code, Math.floor(Number(i.value) || 0)])) };
  try {
    await api("PUT", `/stores/${store.id}/delivery-fees`, { body });
    clearErrors($("#fees"));
    announce("Ongkir tersimpan.");
  } catch (error) {
    showErrors($("#fees"), error);
  }
});

fill();
await placeSelects($("#kecamatan"), $("#kelurahan"), { kecamatanCode: store.kecamatan_code, kelurahanCode: store.kelurahan_code });
fees();
