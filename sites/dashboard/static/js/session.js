// Every screen after logging in: who is here, which of their stores they are working on, the
// store's status, and logging out.
import { api, BASE, useCsrf } from "./api.js";
import { $, el } from "./ui.js";

const STORE_KEY = "behambinan.dasbor.toko";

export async function requireSession({ needStore = true } = {}) {
  let session;
  try {
    session = await api("GET", "/auth/session");
  } catch (error) {
    if (error.status === 401) location.replace(`${BASE}?kembali=${encodeURIComponent(location.pathname + location.search)}`);
    throw error;
  }
  useCsrf(session.csrf_token);
  if (needStore && !session.stores.length) {
    location.replace(`${BASE}buka-toko/`);
    throw new Error("no store yet");
  }
  const wanted = Number(localStorage.getItem(STORE_KEY));
  const store = session.stores.find((s) => s.id === wanted) || session.stores[0] || null;
  shell(session, store);
  return { ...session, store };
}

function shell(session, store) {
  const picker = $("#store-picker");
  if (picker && session.stores.length > 1) {
    picker.replaceChildren(...session.stores.map((s) => el("option", { value: String(s.id), selected: store && s.id === store.id }, s.name)));
    picker.hidden = false;
    picker.addEventListener("change", () => { localStorage.setItem(STORE_KEY, picker.value); location.reload(); });
  }
  const note = $("#store-status");
  if (note && store && store.status !== "approved") {
    note.textContent = store.status === "pending"
      ? "Toko Anda menunggu persetujuan petugas kota. Siapkan produk Anda; toko belum bisa berjualan."
      : "Toko Anda sedang dibekukan oleh petugas kota: produk dan profil tidak bisa diubah dan kasir tidak bisa berjualan. Pesanan yang sudah masuk tetap bisa diproses.";
    note.hidden = false;
  }
  const out = $("#logout");
  if (out) out.addEventListener("click", async () => {
    try { await api("DELETE", "/auth/session"); } finally { location.replace(BASE); }
  });
}
