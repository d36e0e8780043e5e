// Checkout, with the contract of the API: start (units held, with a countdown), fill in the
// buyer's details, choose delivery or pickup per store and how to pay, then complete with one
// Idempotency-Key per attempt, kept across retries: a shopper whose connection drops while
// completing and who taps again gets the same orders, never two sets.
import { api, ApiError } from "./api.js";
import { clear, load, setQuantity } from "./cart.js";
import { $, announce, el, rupiah, witaTime } from "./ui.js";

const SESSION = "behambinan.checkout.v1";
const form = $("#checkout");
const problem = $("#problem");
const hold = $("#hold");
const place = $("#place");
let checkout = null;
let places = [];
let ticking = null;

const signature = (cart) => cart.lines.map((l) => `${l.variant_id}x${l.quantity}`).sort().join(",");
const remembered = () => { try { return JSON.parse(sessionStorage.getItem(SESSION)) || {}; } catch (e) { return {}; } };
const remember = (value) => sessionStorage.setItem(SESSION, JSON.stringify(value));

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function say(text, { alert = true } = {}) {
  problem.replaceChildren(...(Array.isArray(text) ? text : [text]));
  problem.hidden = !text || (Array.isArray(text) && !text.length);
  if (alert && !problem.hidden) problem.focus();
}

function clearFieldErrors() {
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  for (const node of form.querySelectorAll(".error[data-for]")) node.remove();
}

// Every errors[].field of a problem next to its field; what has no field goes on top.
function showFieldErrors(error) {
  clearFieldErrors();
  const unplaced = [];
  for (const [field, message] of Object.entries(error.fields())) {
    const input = form.querySelector(`[data-field="${CSS.escape(field)}"]`) || form.querySelector(`[data-field^="${CSS.escape(field)}."]`);
    if (!input) { unplaced.push(message); continue; }
    input.setAttribute("aria-invalid", "true");
    const note = el("p", { class: "error", "data-for": field, id: `error-${field.replace(/\W/g, "-")}` }, message);
    input.setAttribute("aria-describedby", note.id);
    (input.closest("fieldset") && input.type === "radio" ? input.closest("fieldset") : input).after(note);
  }
  const first = form.querySelector("[aria-invalid]");
  if (unplaced.length || !first) say(unplaced.length ? unplaced.join(" ") : error.message);
  else { say(""); first.focus(); }
}

function showShortages(error) {
  const cart = load();
  const items = (error.problem.lines || []).map((s) => {
    const line = cart.lines.find((l) => l.variant_id === s.variant_id) || { name: `Varian ${s.variant_id}`, variant_name: "" };
    const fix = s.available > 0
      ? el("button", { type: "button", class: "secondary", onclick: () => { setQuantity(s.variant_id, s.available); start(true); } }, `Ubah jadi ${s.available}`)
      : el("button", { type: "button", class: "secondary", onclick: () => { setQuantity(s.variant_id, 0); start(true); } }, "Hapus dari keranjang");
    return el("li", {}, `${line.name} ${line.variant_name}: `, s.available > 0 ? `tinggal ${s.available}. ` : "habis. ", fix);
  });
  say([el("p", {}, "Sebagian barang baru saja habis terjual:"), el("ul", {}, ...items)]);
}

function countdown() {
  clearInterval(ticking);
  const until = checkout && checkout.reserved_until;
  if (!until) {
    hold.textContent = "Stok belum bisa disimpan untuk Anda. Selesaikan pesanan selagi barang masih tersedia.";
    return;
  }
  const tick = () => {
    const left = Math.max(0, Math.round((new Date(until) - Date.now()) / 1000));
    hold.textContent = left > 0
      ? `Barang disimpan untuk Anda sampai ${witaTime(until)} (${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} lagi).`
      : "Waktu simpan habis. Anda tetap bisa menyelesaikan pesanan selagi stok masih ada.";
    if (!left) clearInterval(ticking);
  };
  tick();
  ticking = setInterval(tick, 1000);
}

function storeSection(part) {
  const lines = checkout.lines.filter((l) => l.store_id === part.store.id);
  const options = part.delivery_options || ["delivery", "pickup"];
  const choice = (value, label, detail) => el("label", { class: "choice" },
    el("input", { type: "radio", name: `delivery-${part.store.id}`, value, checked: part.delivery === value,
                  "data-field": `delivery.${part.store.id}`, onchange: refreshTotals }),
    el("span", {}, label, el("span", { class: "hint" }, detail)));
  return el("fieldset", {}, el("legend", {}, part.store.name),
    el("ul", {}, ...lines.map((l) => el("li", {}, `${l.product_name} (${l.variant_name}) × ${l.quantity} = ${rupiah(l.total)}`,
      l.reserved < l.quantity ? el("span", { class: "hint" }, ` · ${l.reserved ? `${l.reserved} disimpan untuk Anda` : "belum disimpan"}`) : null))),
    options.includes("delivery") ? choice("delivery", "Diantar", part.delivery === "delivery" && checkout.shipping_address
      ? ` · ongkir ${rupiah(part.delivery_fee)}` : " · ongkir dihitung dari alamat Anda") : null,
    options.includes("pickup") ? choice("pickup", "Ambil di toko", ` gratis · ${part.store.kecamatan}`) : null);
}

function render() {
  $("#stores").replaceChildren(...checkout.stores.map(storeSection));
  const t = checkout.totals;
  $("#totals").replaceChildren(el("tbody", {},
    el("tr", {}, el("th", { scope: "row" }, "Harga barang"), el("td", {}, rupiah(t.items))),
    el("tr", {}, el("th", { scope: "row" }, "Ongkir"), el("td", {}, rupiah(t.delivery))),
    el("tr", { class: "grand" }, el("th", { scope: "row" }, "Total bayar"), el("td", {}, rupiah(t.total)))));
  const anyDelivery = checkout.stores.some((s) => s.delivery === "delivery");
  $("#shipping").hidden = !anyDelivery;
  countdown();
}

function fillFrom(saved) {
  for (const key of ["name", "phone", "email"]) if (saved[key] && !$(`#${key}`).value) $(`#${key}`).value = saved[key];
  const address = saved.shipping_address;
  if (address) {
    if (!$("#street").value) $("#street").value = address.street;
    $("#kecamatan").value = address.kecamatan_code;
    fillKelurahan();
    $("#kelurahan").value = address.kelurahan_code;
  }
  if (saved.payment_method) {
    const radio = form.querySelector(`input[name="payment"][value="${saved.payment_method}"]`);
    if (radio) radio.checked = true;
  }
}

function fillKelurahan() {
  const kec = places.find((k) => k.code === $("#kecamatan").value);
  $("#kelurahan").replaceChildren(el("option", { value: "" }, "Pilih kelurahan"),
    ...(kec ? kec.kelurahan.map((k) => el("option", { value: k.code }, k.name)) : []));
}

function changes() {
  const body = {};
  for (const key of ["name", "phone", "email"]) if ($(`#${key}`).value.trim()) body[key] = $(`#${key}`).value.trim();
  const street = $("#street").value.trim();
  if (!$("#shipping").hidden && street && $("#kecamatan").value && $("#kelurahan").value) {
    body.shipping_address = { street, kecamatan: $("#kecamatan").value, kelurahan: $("#kelurahan").value };
  }
  body.delivery = {};
  for (const part of checkout.stores) {
    const radio = form.querySelector(`input[name="delivery-${part.store.id}"]:checked`);
    if (radio) body.delivery[String(part.store.id)] = radio.value;
  }
  body.payment_method = form.querySelector('input[name="payment"]:checked').value;
  return body;
}

async function refreshTotals() {
  try {
    const body = changes();
    delete body.name; delete body.phone; delete body.email;
    checkout = await api("PATCH", `/checkouts/${checkout.id}`, { body });
    render();
  } catch (error) {
    if (error.status === 422) showFieldErrors(error);
  }
}

async function start(fresh = false) {
  const cart = load();
  if (!cart.lines.length) {
    say([el("p", {}, "Keranjang Anda kosong. "), el("a", { href: "/" }, "Lihat produk")], { alert: false });
    form.hidden = true;
    return;
  }
  const saved = remembered();
  try {
    if (!fresh && saved.id && saved.signature === signature(cart)) {
      checkout = await api("GET", `/checkouts/${saved.id}`);
      if (checkout.completed) throw new ApiError(404, {});
    } else {
      checkout = await api("POST", "/checkouts", { body: { lines: cart.lines.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity })) } });
    }
  } catch (error) {
    if (error.status === 404 && saved.id) { remember({}); return start(true); }
    if (error.status === 409 && error.problem.lines) { showShortages(error); form.hidden = true; return; }
    say(error.message);
    form.hidden = true;
    return;
  }
  remember({ id: checkout.id, signature: signature(cart), key: saved.id === checkout.id ? saved.key : null });
  form.hidden = false;
  say("", { alert: false });
  fillFrom(checkout);
  render();
}

async function complete(event) {
  event.preventDefault();
  clearFieldErrors();
  place.disabled = true;
  place.textContent = "Memproses…";
  try {
    checkout = await api("PATCH", `/checkouts/${checkout.id}`, { body: changes() });
    render();
    const saved = remembered();
    const key = saved.key || newKey();
    remember({ ...saved, key });
    const done = await api("POST", `/checkouts/${checkout.id}/complete`, {
      body: { expected_total: checkout.totals.total }, headers: { "Idempotency-Key": key } });
    const fragment = done.orders.filter((o) => o.token).map((o) => `${o.id}.${o.token}`).join(",");
    sessionStorage.removeItem(SESSION);
    sessionStorage.setItem("behambinan.baru", "1");
    clear();
    location.assign(`/pesanan/#o=${fragment}`);
    return;
  } catch (error) {
    if (error.status === 0) say("Sambungan terputus saat memproses. Ketuk “Buat pesanan” lagi: pesanan Anda tidak akan dibuat dua kali.");
    else if (error.status === 409 && error.problem.checkout) {
      checkout = error.problem.checkout;
      render();
      say(`Harga atau ongkir berubah. Total sekarang ${rupiah(checkout.totals.total)}. Periksa lagi, lalu ketuk “Buat pesanan”.`);
    } else if (error.status === 409 && error.problem.lines) showShortages(error);
    else if (error.status === 422) showFieldErrors(error);
    else say(error.message);
  } finally {
    place.disabled = false;
    place.textContent = "Buat pesanan";
  }
}

async function init() {
  try {
    places = await (await fetch("/data/wilayah.json")).json();
  } catch (error) {
    places = [];
  }
  $("#kecamatan").replaceChildren(el("option", { value: "" }, "Pilih kecamatan"), ...places.map((k) => el("option", { value: k.code }, k.name)));
  fillKelurahan();
  $("#kecamatan").addEventListener("change", () => { fillKelurahan(); });
  $("#kelurahan").addEventListener("change", refreshTotals);
  form.addEventListener("submit", complete);
  announce("");
  await start();
}

init();
