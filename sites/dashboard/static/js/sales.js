// Omzet: revenue per day and per week (online and counter apart), best sellers, where online
// orders go; each chart with its table, and the days as CSV.
import { api, apiUrl } from "./api.js";
import { barChart } from "./charts.js";
import { requireSession } from "./session.js";
import { $, el, rupiah } from "./ui.js";

const { store } = await requireSession();
const short = new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "short", timeZone: "UTC" });
const day = (iso) => short.format(new Date(`${iso}T00:00:00Z`));

function table(headers, rows) {
  return el("div", { class: "table-wrap" }, el("table", { class: "data" },
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, el("th", { scope: "row" }, r[0]), ...r.slice(1).map((c) => el("td", {}, c)))))));
}

async function show() {
  const params = new URLSearchParams({ ...($("#from").value ? { from: $("#from").value } : {}), ...($("#to").value ? { to: $("#to").value } : {}) });
  let report;
  try {
    report = await api("GET", `/stores/${store.id}/sales?${params}`);
  } catch (error) {
    $("#totals").textContent = error.message;
    return;
  }
  $("#from").value = report.from;
  $("#to").value = report.to;
  $("#totals").replaceChildren("Online ", el("strong", {}, rupiah(report.online_total)), " · Kasir ", el("strong", {}, rupiah(report.pos_total)),
    " · Total ", el("strong", {}, rupiah(report.online_total + report.pos_total)));
  $("#csv").href = apiUrl(`/stores/${store.id}/sales.csv?from=${report.from}&to=${report.to}`);
  const series = (rows) => [
    { name: "Online", values: rows.map((r) => r.online_total), className: "online" },
    { name: "Kasir", values: rows.map((r) => r.pos_total), className: "pos" },
  ];
  $("#daily").replaceChildren(barChart({ title: "Omzet per hari", labels: report.days.map((d) => day(d.date)), series: series(report.days),
                                         format: rupiah, labelEvery: Math.ceil(report.days.length / 6) }));
  $("#weekly").replaceChildren(barChart({ title: "Omzet per minggu", labels: report.weeks.map((w) => `mg ${day(w.week_of)}`), series: series(report.weeks), format: rupiah }));
  $("#best").replaceChildren(report.best_sellers.length
    ? table(["Produk", "Terjual", "Omzet"], report.best_sellers.map((b) => [b.product_name, String(b.quantity), rupiah(b.total)]))
    : el("p", {}, "Belum ada penjualan di rentang ini."));
  $("#places").replaceChildren(report.by_kecamatan.length
    ? barChart({ title: "Pesanan online per kecamatan", labels: report.by_kecamatan.map((p) => p.kecamatan),
                 series: [{ name: "Pesanan", values: report.by_kecamatan.map((p) => p.orders), className: "online" }], format: String })
    : el("p", {}, "Belum ada pesanan online di rentang ini."));
}

$("#range").addEventListener("submit", (event) => { event.preventDefault(); show(); });
show();
