// Small helpers shared by every page: money and time as people in Samarinda read them, and a
// DOM builder that only ever sets text (seller-written names can never become markup).
const number = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });
const clock = new Intl.DateTimeFormat("id-ID", { timeZone: "Asia/Makassar", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
const hourMinute = new Intl.DateTimeFormat("id-ID", { timeZone: "Asia/Makassar", hour: "2-digit", minute: "2-digit" });

export const rupiah = (amount) => "Rp" + number.format(amount);
export const wita = (iso) => clock.format(new Date(iso)) + " WITA";
export const witaTime = (iso) => hourMinute.format(new Date(iso)) + " WITA";

export const STATUS = {
  awaiting_payment: "Menunggu pembayaran",
  paid: "Sudah dibayar",
  processing: "Sedang disiapkan penjual",
  shipped: "Sedang diantar",
  ready_for_pickup: "Siap diambil di toko",
  delivered: "Sudah sampai",
  completed: "Selesai",
  cancelled: "Dibatalkan",
  expired: "Batal: tidak dibayar tepat waktu",
};
export const PAYMENT = { cod: "Bayar di tempat (COD)", bank_transfer: "Transfer bank", stripe: "Kartu",
                         cash: "Tunai", qris: "QRIS", transfer: "Transfer" };
export const DELIVERY = { delivery: "Diantar", pickup: "Ambil di toko" };

// el("p", {class: "x"}, "text", child) — attributes as properties or attributes, children as
// text nodes or elements. Never innerHTML.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function announce(text) {
  const live = document.getElementById("live");
  if (live) live.textContent = text;
}

export const $ = (selector, root = document) => root.querySelector(selector);
