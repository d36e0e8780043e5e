// Bar charts as SVG, each with its numbers as a table beside it (a chart alone says nothing
// to a screen reader, and a seller may want the exact figure).
import { el } from "./ui.js";

const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// labels: x labels; series: [{name, values, className}]; format: value -> text
export function barChart({ title, labels, series, format, labelEvery = 1 }) {
  const width = Math.max(320, labels.length * series.length * 12 + 40);
  const height = 180;
  const top = 10;
  const bottom = 30;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const step = (width - 40) / labels.length;
  const bar = Math.max(2, (step - 4) / series.length);
  const bars = [];
  labels.forEach((label, i) => {
    series.forEach((s, j) => {
      const h = ((height - top - bottom) * s.values[i]) / max;
      bars.push(svg("rect", { x: 40 + i * step + j * bar, y: height - bottom - h, width: bar - 1, height: h, class: s.className },
        svg("title", {}, `${label} · ${s.name}: ${format(s.values[i])}`)));
    });
    if (i % labelEvery === 0) bars.push(svg("text", { x: 40 + i * step, y: height - 12, class: "axis" }, label));
  });
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${title}. Angkanya ada di tabel di bawah.`, preserveAspectRatio: "none" },
    svg("line", { x1: 40, y1: height - bottom, x2: width, y2: height - bottom, class: "axis-line" }),
    svg("text", { x: 0, y: top + 10, class: "axis" }, format(max)),
    ...bars);
  const legend = el("p", { class: "legend" }, ...series.map((s) => el("span", { class: `key ${s.className}` }, s.name)));
  const table = el("table", { class: "data" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, ""), ...series.map((s) => el("th", { scope: "col" }, s.name)))),
    el("tbody", {}, ...labels.map((label, i) => el("tr", {}, el("th", { scope: "row" }, label), ...series.map((s) => el("td", {}, format(s.values[i])))))));
  return el("figure", { class: "chart" }, el("div", { class: "chart-box" }, chart), legend,
    el("details", {}, el("summary", {}, "Lihat angkanya"), el("div", { class: "table-wrap" }, table)));
}
